import { Annotations, CfnOutput, Duration, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { AppContext } from '../app-context.ts';
import type { InfraConfig } from '../config/cairn-config.ts';
import { LegacyBackup, type LegacyBackupHandlers } from '../constructs/legacy-backup.ts';
import type { HandlerBundling } from '../constructs/private/handler-function.ts';

export interface CairnBackupsStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly context: AppContext;
  readonly handlers: LegacyBackupHandlers;
  readonly bundling: HandlerBundling;
  readonly failureTopic?: sns.ITopic;
  readonly eventsQueue?: sqs.IQueue;
}

const MAX_INLINE_MAP_CONCURRENCY = 40;
const LOCAL_SOURCES = new Set(['sqlite', 'command', 'file']);

/** Legacy backups, configured from cairn.yaml's `backups` section. */
export class CairnBackupsStack extends Stack {
  public readonly backups: LegacyBackup;
  private readonly azs?: string[];

  constructor(scope: Construct, id: string, props: CairnBackupsStackProps) {
    super(scope, id, props);
    this.azs = props.context.availabilityZones;
    const ctx = props.context;
    for (const j of props.config.backups.jobs) {
      if (j.concurrency > MAX_INLINE_MAP_CONCURRENCY) {
        Annotations.of(this).addWarningV2(
          'cairn:concurrency',
          `backups.jobs.${j.name}.concurrency ${j.concurrency}: Step Functions runs at most ${MAX_INLINE_MAP_CONCURRENCY} chunks at once`,
        );
      }
      if (LOCAL_SOURCES.has(j.sourceType)) {
        Annotations.of(this).addWarningV2(
          'cairn:localSource',
          `backups.jobs.${j.name}: a ${j.sourceType} source reads the legacy host's disk, which Lambda cannot reach; run this job with cairn serve on that host`,
        );
      }
    }
    this.backups = new LegacyBackup(this, 'Backups', {
      handlers: props.handlers,
      bundling: props.bundling,
      jobs: props.config.backups.jobs.map((j) => ({
        name: j.name,
        schedules: j.schedules,
        maxConcurrency: Math.min(j.concurrency, MAX_INLINE_MAP_CONCURRENCY),
        hotRetention: j.hotRetention === undefined ? undefined : Duration.days(Math.ceil(j.hotRetention / 86400)),
        coldRetention: j.coldRetention === undefined ? undefined : Duration.days(Math.ceil(j.coldRetention / 86400)),
      })),
      existingDatabase: ctx.hotDatabaseSecretArn
        ? { secret: secretsmanager.Secret.fromSecretCompleteArn(this, 'HotDatabaseSecret', ctx.hotDatabaseSecretArn) }
        : undefined,
      natGateways: ctx.hotDatabaseSecretArn ? undefined : ctx.natGateways,
      objectLock: ctx.objectLock
        ? { mode: ctx.objectLock.mode, retention: Duration.days(ctx.objectLock.days) }
        : undefined,
      failureTopic: props.failureTopic,
      eventsQueue: props.eventsQueue,
      appSecret: secretsmanager.Secret.fromSecretNameV2(this, 'AppSecret', ctx.appSecretName),
      removalPolicy: ctx.removalPolicy,
      deletionProtection: ctx.deletionProtection,
    });
    new CfnOutput(this, 'ColdBucket', { value: this.backups.coldBucket.bucketName });
    new CfnOutput(this, 'HotDatabaseSecretArn', { value: this.backups.databaseSecret.secretArn });
    if (this.backups.database)
      new CfnOutput(this, 'HotDatabaseEndpoint', { value: this.backups.database.instance.dbInstanceEndpointAddress });
  }

  /**
   * Two zones of the region, chosen at deploy time (Fn::GetAZs), unless the availabilityZones context
   * names them: the default lookup would need AWS credentials at synth, and synth runs offline.
   */
  override get availabilityZones(): string[] {
    return this.azs ?? [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}
