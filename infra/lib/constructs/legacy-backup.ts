import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_INDEX_WILDCARD, allowWildcards } from './private/acknowledgements.ts';
import { BackupWorkflow, type BackupSchedule, type ChunkRetry } from './private/backup-workflow.ts';
import { accessLogsBucket, privateBucket } from './private/buckets.ts';
import { DataTable } from './private/data-table.ts';
import { BACKUPS_TABLE } from './private/tables.ts';
import { OBJECT_PREFIX_REASON, grantObjects, grantTable } from './private/grants.ts';
import { HandlerFunction, type HandlerBundling } from './private/handler-function.ts';
import { HotDatabase, backupVpc, type HotDatabaseOptions } from './private/hot-database.ts';
import { LEGACY_BACKUP_RULES } from './private/legacy-backup-rules.ts';
import { validateProps } from './private/validation.ts';

export type { BackupSchedule, ChunkRetry, HotDatabaseOptions };

/** Where a job's cold copies live in the bucket: the backup core's keys (src/core/backups/keys.ts). */
export const coldPrefix = (job: string) => `backups/${job}/`;

/** Lambda entries (TypeScript files, relative to bundling.projectRoot). */
export interface LegacyBackupHandlers {
  /** Plans a run into chunks, finalizes it (manifest, cursor, retention) or marks it failed, e.g. src/runtime/lambda/backup-planner.ts. */
  readonly planner: string;
  /** Copies one chunk to the cold bucket and the run's staging table in the hot database, e.g. src/runtime/lambda/backup-chunk.ts. */
  readonly chunk: string;
  /**
   * Finalizes a run (manifest, cursor, retention) or marks it failed; default: the planner, which then
   * tells the steps apart by the payload's `action` ("plan", "finalize" or "fail").
   */
  readonly finalize?: string;
}

/** A job of cairn.yaml's backups: when it runs and how long its copies are kept. */
export interface BackupJob {
  /** Lower-case letters, digits and -; its cold copies live under `backups/<name>/` (core/backups/keys.ts). */
  readonly name: string;
  readonly schedules: readonly BackupSchedule[];
  /** Chunks copied at once (the Map state's MaxConcurrency). @default 4 */
  readonly maxConcurrency?: number;
  /** Cold copies move to S3 Glacier Flexible Retrieval after this (whole days); none: they stay in Standard. */
  readonly hotRetention?: Duration;
  /** Cold copies are deleted after this (whole days, more than hotRetention); none: kept until deleted. */
  readonly coldRetention?: Duration;
}

export interface LegacyBackupProps {
  readonly handlers: LegacyBackupHandlers;
  readonly bundling: HandlerBundling;
  readonly jobs: readonly BackupJob[];
  /** An existing hot database: its secret (host, port, username, password, dbname) and where it is reachable. */
  readonly existingDatabase?: {
    readonly secret: secretsmanager.ISecret;
    readonly vpc?: ec2.IVpc;
    readonly securityGroups?: ec2.ISecurityGroup[];
  };
  /** The RDS Postgres made when no existingDatabase is given. */
  readonly database?: HotDatabaseOptions;
  /** Run workers in this VPC instead of making one. */
  readonly existingVpc?: ec2.IVpc;
  /** NAT gateways of the VPC made here (0: workers reach only endpoints and peered networks). @default 1 */
  readonly natGateways?: number;
  /** Object Lock on the cold bucket: copies cannot be deleted or overwritten before this retention. */
  readonly objectLock?: { readonly mode: 'GOVERNANCE' | 'COMPLIANCE'; readonly retention: Duration };
  /**
   * A plain SNS topic (e-mail, chat) that hears of failed executions from the state machine, as a JSON
   * summary — used only without `eventsQueue`. Not the hub's topic: its subscribers read each event from
   * the hub's history, so the hub hears of backups through `eventsQueue` instead.
   */
  readonly failureTopic?: sns.ITopic;
  /**
   * The hub's events queue: the backup functions send `backup.failed`, `backup.finished` and
   * `backup.late` there as source `cairn` (as the local runtime's outbox does), per the job's `notify`;
   * the hub enriches, records and routes them and publishes them on its topic.
   */
  readonly eventsQueue?: sqs.IQueue;
  /**
   * The application secret (JSON of names to values): the `*Env` names of cairn.yaml, e.g. a source's
   * password. Referenced, never created here.
   */
  readonly appSecret?: secretsmanager.ISecret;
  /** @default { maxAttempts: 3, interval: 10 seconds, backoffRate: 2 } */
  readonly chunkRetry?: ChunkRetry;
  /** The longest a run may take. @default 12 hours */
  readonly runTimeout?: Duration;
  readonly existingEncryptionKey?: kms.IKey;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Deletion protection on the database and tables. @default true */
  readonly deletionProtection?: boolean;
}

/**
 * Legacy backups on AWS: EventBridge Scheduler starts one Step Functions state machine per job on the
 * job's schedules (cron with a time zone, no flexible window); the planner splits a run into chunks that
 * workers copy in parallel to the cold bucket (Glacier after the hot period, deleted after the cold
 * period, optional Object Lock) and to the hot Postgres's staging table; finalize applies the staged rows
 * at once; failures reach the hub through its events queue (or a plain failureTopic without one).
 */
export class LegacyBackup extends Construct {
  public readonly encryptionKey: kms.IKey;
  public readonly coldBucket: s3.Bucket;
  public readonly logsBucket: s3.Bucket;
  public readonly runsTable: dynamodb.Table;
  public readonly vpc?: ec2.IVpc;
  public readonly workersSecurityGroup?: ec2.SecurityGroup;
  public readonly database?: HotDatabase;
  public readonly databaseSecret: secretsmanager.ISecret;
  public readonly plannerFunction: HandlerFunction;
  public readonly chunkFunction: HandlerFunction;
  public readonly finalizeFunction?: HandlerFunction;
  public readonly workflows: Record<string, BackupWorkflow> = {};

  constructor(scope: Construct, id: string, props: LegacyBackupProps) {
    super(scope, id);
    validateProps('LegacyBackup', props, LEGACY_BACKUP_RULES);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const deletionProtection = props.deletionProtection ?? true;

    this.encryptionKey =
      props.existingEncryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'Cairn backups: cold copies, database, runs',
        enableKeyRotation: true,
        removalPolicy,
      });
    this.logsBucket = accessLogsBucket(this, 'AccessLogs', removalPolicy);
    this.coldBucket = privateBucket(this, 'ColdBucket', {
      encryptionKey: this.encryptionKey,
      serverAccessLogsBucket: this.logsBucket,
      serverAccessLogsPrefix: 'cold-bucket/',
      versioned: !!props.objectLock,
      objectLockEnabled: props.objectLock ? true : undefined,
      objectLockDefaultRetention: props.objectLock
        ? props.objectLock.mode === 'COMPLIANCE'
          ? s3.ObjectLockRetention.compliance(props.objectLock.retention)
          : s3.ObjectLockRetention.governance(props.objectLock.retention)
        : undefined,
      removalPolicy,
      lifecycleRules: [
        { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
        ...props.jobs
          .filter((j) => j.hotRetention !== undefined || j.coldRetention !== undefined)
          .map((j) => ({
            id: `retention-${j.name}`,
            prefix: coldPrefix(j.name),
            transitions: j.hotRetention
              ? [{ storageClass: s3.StorageClass.GLACIER, transitionAfter: j.hotRetention }]
              : undefined,
            expiration: j.coldRetention,
            // With Object Lock the bucket is versioned: an expired copy leaves a noncurrent version.
            ...(props.objectLock ? { noncurrentVersionExpiration: Duration.days(1) } : {}),
          })),
      ],
    });
    this.runsTable = new DataTable(this, 'Runs', {
      purpose: 'backup runs, chunks, cursors and leases',
      encryptionKey: this.encryptionKey,
      definition: BACKUPS_TABLE,
      removalPolicy,
      deletionProtection,
    }).table;

    const vpc = props.existingDatabase
      ? props.existingDatabase.vpc
      : (props.existingVpc ?? backupVpc(this, 'Vpc', props.natGateways ?? 1, this.logsBucket));
    this.vpc = vpc;
    // The VPC made here names its subnet groups; in one you bring, the private subnets with egress.
    const ownVpc = !props.existingVpc && !props.existingDatabase;
    const workerSubnets: ec2.SubnetSelection = ownVpc
      ? { subnetGroupName: 'workers' }
      : { subnetType: ec2.SubnetType.PRIVATE_WITH_EGRESS };
    if (vpc) {
      this.workersSecurityGroup = new ec2.SecurityGroup(this, 'WorkersSg', {
        vpc,
        description: 'Cairn backup workers: outbound to sources, the hot database and AWS APIs',
        allowAllOutbound: true,
      });
    }
    if (props.existingDatabase) {
      this.databaseSecret = props.existingDatabase.secret;
    } else {
      this.database = new HotDatabase(this, 'HotDatabase', {
        ...props.database,
        vpc: vpc!,
        subnets: ownVpc ? { subnetGroupName: 'database' } : workerSubnets,
        rotationSubnets: workerSubnets,
        encryptionKey: this.encryptionKey,
        deletionProtection,
        removalPolicy,
      });
      this.databaseSecret = this.database.secret;
      this.database.instance.connections.allowDefaultPortFrom(this.workersSecurityGroup!, 'backup workers');
    }

    const network = vpc
      ? {
          vpc,
          vpcSubnets: workerSubnets,
          securityGroups: [this.workersSecurityGroup!, ...(props.existingDatabase?.securityGroups ?? [])],
        }
      : {};
    // The names src/runtime/lambda/env.ts reads (backup-compose.ts wires them).
    const environment: Record<string, string> = {
      BUCKET: this.coldBucket.bucketName,
      KMS_KEY_ID: this.encryptionKey.keyArn,
      [BACKUPS_TABLE.env]: this.runsTable.tableName,
      HOT_DB_SECRET_ID: this.databaseSecret.secretArn,
      // RDS's generated secret names no database: the one HotDatabase creates (private/hot-database.ts).
      ...(this.database ? { HOT_DB_NAME: 'cairn' } : {}),
      // RDS forces TLS; the runtime's bundle of Amazon CAs (RDS's included) lets the workers verify it.
      HOT_DB_SSLMODE: 'verify-full',
      NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
      ...(props.appSecret ? { APP_SECRET_ID: props.appSecret.secretName } : {}),
      ...(props.eventsQueue ? { EVENTS_QUEUE_URL: props.eventsQueue.queueUrl } : {}),
    };
    this.plannerFunction = new HandlerFunction(this, 'PlannerHandler', {
      ...props.bundling,
      ...network,
      entry: props.handlers.planner,
      description: 'Cairn backups: plan, finalize or fail a run',
      // Finalizing upserts a whole run into the live table in one transaction: Lambda's longest.
      timeout: Duration.minutes(15),
      environment,
    });
    this.chunkFunction = new HandlerFunction(this, 'ChunkHandler', {
      ...props.bundling,
      ...network,
      entry: props.handlers.chunk,
      description: 'Cairn backups: copy one chunk to cold storage and the hot database',
      timeout: Duration.minutes(15),
      memorySize: 2048,
      environment,
    });
    if (props.handlers.finalize) {
      this.finalizeFunction = new HandlerFunction(this, 'FinalizeHandler', {
        ...props.bundling,
        ...network,
        entry: props.handlers.finalize,
        description: 'Cairn backups: finalize or fail a run',
        timeout: Duration.minutes(15),
        environment,
      });
    }
    const finalizer = this.finalizeFunction ?? this.plannerFunction;
    const prefixes = props.jobs.map((j) => coldPrefix(j.name));
    for (const fn of [
      this.plannerFunction,
      this.chunkFunction,
      ...(this.finalizeFunction ? [this.finalizeFunction] : []),
    ]) {
      grantTable(this.runsTable, fn.role, 'readWrite');
      this.databaseSecret.grantRead(fn.role);
      props.appSecret?.grantRead(fn.role);
      props.eventsQueue?.grantSendMessages(fn.role);
    }
    if (prefixes.length > 0) {
      grantObjects(this.coldBucket, this.chunkFunction.role, { read: true, write: true, list: true, prefixes });
      // The planner removes what a run an ended execution left behind copied.
      grantObjects(this.coldBucket, this.plannerFunction.role, { read: true, delete: true, list: true, prefixes });
      // Finalizing writes the manifest and applies the keep rules (restic-style).
      grantObjects(this.coldBucket, finalizer.role, { read: true, write: true, delete: true, list: true, prefixes });
    }

    for (const job of props.jobs) {
      this.workflows[job.name] = new BackupWorkflow(this, `Job-${job.name}`, {
        job: job.name,
        schedules: job.schedules,
        maxConcurrency: job.maxConcurrency ?? 4,
        planner: this.plannerFunction.function,
        chunkWorker: this.chunkFunction.function,
        finalizer: finalizer.function,
        // With the hub's queue the fail step reports through it; a raw message on the hub's topic would
        // name no event of its history.
        failureTopic: props.eventsQueue ? undefined : props.failureTopic,
        chunkRetry: props.chunkRetry ?? { maxAttempts: 3, interval: Duration.seconds(10), backoffRate: 2 },
        timeout: props.runTimeout ?? Duration.hours(12),
      });
    }

    allowWildcards(this, [
      TABLE_INDEX_WILDCARD,
      { kind: 'Resource', pattern: /^<[A-Za-z0-9]+\.Arn>\/backups\/[a-z0-9-]+\/\*$/, reason: OBJECT_PREFIX_REASON },
    ]);
  }
}
