/**
 * The backup functions' world for tests: a Postgres cluster holding the legacy database (the source)
 * and the hot database, dynalite with the backups table, s3rver with the cold bucket; SQS (the hub's
 * events queue) and Secrets Manager (the hot database's RDS secret) mocked — no emulator for them
 * here. `tasks(jobs)` wires the tasks exactly as the deployed functions do (backup-compose.ts).
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { DynamoBackupRunRepository } from '../../../src/adapters/aws/dynamodb/backup-run-repository.ts';
import { BACKUPS_TABLE } from '../../../src/adapters/aws/dynamodb/backup-table.ts';
import { S3ObjectStore } from '../../../src/adapters/aws/s3-object-store.ts';
import { ObjectColdStore } from '../../../src/adapters/local/backups/cold-store.ts';
import { backupsSchema } from '../../../src/config/backups.ts';
import { ManualClock } from '../../../src/core/clock.ts';
import type { IngestedEvent } from '../../../src/core/alerts/model.ts';
import { silentLogger } from '../../../src/ports/logger.ts';
import { backupTasksFrom } from '../../../src/runtime/lambda/backup-compose.ts';
import { lambdaEnv } from '../../../src/runtime/lambda/env.ts';
import { startPgCluster, type PgCluster } from '../../helpers/postgres.ts';
import { startDynalite, type RunningDynalite } from './dynalite.ts';
import { startS3rver, type RunningS3rver } from './s3rver.ts';

export const HOT_SECRET_ID = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:cairn-hot-AbCdEf';
export const EVENTS_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/123456789012/cairn-events';

export interface BackupStack {
  pg: PgCluster;
  dynalite: RunningDynalite;
  s3: RunningS3rver;
  table: string;
  bucket: string;
  clock: ManualClock;
  runs: DynamoBackupRunRepository;
  cold: ObjectColdStore;
  /** The backup tasks for these jobs (cairn.yaml's `backups.jobs`), wired as on Lambda. */
  tasks(jobs: Record<string, unknown>): ReturnType<typeof backupTasksFrom>;
  /** The domain events sent to the hub's queue so far, as the enrich worker receives them. */
  sent(): IngestedEvent[];
  legacy<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  hot<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  close(): Promise<void>;
}

export async function startBackupStack(): Promise<BackupStack> {
  const [pg, dynalite, s3] = await Promise.all([startPgCluster(), startDynalite(), startS3rver()]);
  const legacyUrl = await pg.createDatabase('legacy');
  await pg.createDatabase('hot');
  const [table, bucket] = await Promise.all([dynalite.table(BACKUPS_TABLE), s3.bucket()]);
  const clock = new ManualClock(new Date());
  const sqsClient = new SQSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
  const sqs = mockClient(sqsClient);
  sqs.on(SendMessageCommand).callsFake(() => ({ MessageId: `m-${sqs.calls().length}` }));
  const secrets = new SecretsManagerClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  // RDS's secret shape: `port` is a number. The cluster trusts the role, so the password is not checked.
  mockClient(secrets)
    .on(GetSecretValueCommand, { SecretId: HOT_SECRET_ID })
    .resolves({
      SecretString: JSON.stringify({
        engine: 'postgres',
        host: '127.0.0.1',
        port: pg.port,
        username: 'cairn',
        password: 'p@ss/wörd',
        dbname: 'hot',
      }),
    });
  const doc = dynalite.doc();
  const s3Client = s3.client();
  const env = lambdaEnv({
    AWS_REGION: 'eu-west-1',
    BACKUPS_TABLE: table,
    BUCKET: bucket,
    KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/backups',
    HOT_DB_SECRET_ID: HOT_SECRET_ID,
    HOT_DB_SSLMODE: 'disable',
    EVENTS_QUEUE_URL,
  });
  const cold = new ObjectColdStore(new S3ObjectStore({ client: s3Client, bucket }));
  return {
    pg,
    dynalite,
    s3,
    table,
    bucket,
    clock,
    runs: new DynamoBackupRunRepository(doc, table),
    cold,
    tasks: (jobs) =>
      backupTasksFrom({
        env,
        backups: backupsSchema.parse({ jobs }),
        maxReceiveCount: 5,
        clients: { dynamo: doc, s3: s3Client, sqs: sqsClient, secrets },
        secretEnv: async () => ({ LEGACY_DB_URL: legacyUrl }),
        clock,
        logger: silentLogger,
      }),
    sent: () =>
      sqs.commandCalls(SendMessageCommand).map((c) => JSON.parse(c.args[0].input.MessageBody!) as IngestedEvent),
    legacy: (sql, params) => pg.sql(sql, params, 'legacy'),
    hot: (sql, params) => pg.sql(sql, params, 'hot'),
    async close() {
      doc.destroy();
      await Promise.all([pg.stop(), dynalite.close(), s3.close()]);
    },
  };
}
