/**
 * Wires the backup tasks for Lambda: runs and the lease in DynamoDB (BACKUPS_TABLE), cold storage on
 * S3 through the S3 object store (BUCKET, SSE-KMS with KMS_KEY_ID), the hot Postgres from its secret
 * (HOT_DB_SECRET_ID), sources' secrets from the app secret, and events to the hub's events queue
 * (EVENTS_QUEUE_URL) as source `cairn` — the hub enriches, records and routes them like the local
 * outbox's, and publishes them on its topic. Without a queue, events are only logged.
 * `backupTasksFrom` takes the clients, so tests wire it to dynalite, s3rver and Postgres.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoJobLease } from '../../adapters/aws/dynamodb/backup-lease.ts';
import { DynamoBackupRunRepository } from '../../adapters/aws/dynamodb/backup-run-repository.ts';
import type { Doc } from '../../adapters/aws/dynamodb/dynamo.ts';
import { lambdaHotTarget, lambdaSource } from '../../adapters/aws/backup-connections.ts';
import { HotDatabaseSecret } from '../../adapters/aws/hot-database-secret.ts';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { SqsEventBus } from '../../adapters/aws/sqs-event-bus.ts';
import { SqsQueue } from '../../adapters/aws/sqs-queue.ts';
import { ObjectColdStore } from '../../adapters/local/backups/cold-store.ts';
import type { BackupsConfig } from '../../config/backups.ts';
import type { Clock } from '../../core/clock.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Logger } from '../../ports/logger.ts';
import { jobSpec } from '../../config/backup-jobs.ts';
import { type BackupTasks, createBackupTasks } from './backup-tasks.ts';
import { clients as awsClients, clock as systemClock, config, env as lambdaEnv, secretEnv } from './compose.ts';
import { required, type LambdaEnv } from './env.ts';
import { logger as powertoolsLogger } from './powertools.ts';

/**
 * A run's lease outlives the longest pause between two tasks that renew it (a chunk's retry backoff,
 * Lambda cold starts): at least 30 minutes, whatever backups.leaseTtl says for the local runtime.
 */
export const MIN_LAMBDA_LEASE_MS = 30 * 60_000;

export interface BackupWiring {
  env: LambdaEnv;
  backups: BackupsConfig;
  /** For the events queue's redrive bookkeeping (alerts.queue.maxReceiveCount). */
  maxReceiveCount: number;
  clients: { dynamo: Doc; s3: S3Client; sqs: SQSClient; secrets: SecretsManagerClient };
  /** process.env with the app secret's values over it (sources' `urlEnv`, `auth.valueEnv`). */
  secretEnv: () => Promise<Record<string, string | undefined>>;
  clock: Clock;
  logger: Logger;
}

export function backupTasksFrom(w: BackupWiring): BackupTasks {
  const { env, clients, clock, logger } = w;
  const table = required(env, 'BACKUPS_TABLE');
  const configs = new Map(Object.entries(w.backups.jobs));
  let hotSecret: HotDatabaseSecret | undefined;
  const hotUrl = () =>
    (hotSecret ??= new HotDatabaseSecret({
      client: clients.secrets,
      secretId: required(env, 'HOT_DB_SECRET_ID'),
      sslmode: env.HOT_DB_SSLMODE,
      ...(env.HOT_DB_NAME ? { database: env.HOT_DB_NAME } : {}),
      clock,
    })).url();
  const events: EventBus = env.EVENTS_QUEUE_URL
    ? new SqsEventBus(
        new SqsQueue({
          client: clients.sqs,
          name: 'events',
          queueUrl: env.EVENTS_QUEUE_URL,
          maxReceiveCount: w.maxReceiveCount,
        }),
        clock,
      )
    : { publish: async (e) => logger.info({ type: e.type, data: e.data }, 'backup event (no hub queue configured)') };
  const objects = new S3ObjectStore({
    client: clients.s3,
    bucket: required(env, 'BUCKET'),
    ...(env.KMS_KEY_ID ? { kmsKeyId: env.KMS_KEY_ID } : {}),
    clock,
  });
  return createBackupTasks(
    {
      runs: new DynamoBackupRunRepository(clients.dynamo, table),
      lease: new DynamoJobLease(clients.dynamo, table, clock),
      cold: new ObjectColdStore(objects),
      events,
      clock,
      logger,
      leaseTtlMs: Math.max(w.backups.leaseTtl * 1000, MIN_LAMBDA_LEASE_MS),
      openSource: async (job) =>
        lambdaSource(configs.get(job.name)!.source, { job: job.name, env: await w.secretEnv() }),
      openHot: async (job) => {
        const hot = configs.get(job.name)!.hot;
        return hot ? lambdaHotTarget(await hotUrl(), hot) : null;
      },
    },
    [...configs].map(([name, job]) => jobSpec(name, job)),
  );
}

let tasks: BackupTasks | undefined;

/** The tasks as deployed: built on first use from the function's environment and cairn.yaml. */
export function lambdaBackupTasks(): BackupTasks {
  return (tasks ??= backupTasksFrom({
    env: lambdaEnv(),
    backups: config().backups,
    maxReceiveCount: config().alerts.queue.maxReceiveCount,
    clients: {
      dynamo: awsClients.dynamo(),
      s3: awsClients.s3(),
      sqs: awsClients.sqs(),
      secrets: awsClients.secrets(),
    },
    secretEnv,
    clock: systemClock,
    logger: powertoolsLogger,
  }));
}
