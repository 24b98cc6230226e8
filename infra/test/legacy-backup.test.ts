import { Duration, Fn, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { BACKUPS_TABLE } from '../../src/adapters/aws/dynamodb/backup-table.ts';
import { createTableInput } from '../../src/adapters/aws/dynamodb/tables.ts';
import { lambdaEnv } from '../../src/runtime/lambda/env.ts';
import { LegacyBackup, type LegacyBackupProps } from '../lib/constructs/legacy-backup.ts';
import { InvalidPropsError } from '../lib/constructs/private/validation.ts';
import {
  PLACEHOLDER,
  PROJECT_ROOT,
  acknowledgements,
  actionsOf,
  allowStatements,
  isServiceWildcard,
  logicalId,
  nagFindings,
  RESOURCELESS_ACTIONS,
  resourcesOf,
  testStack,
} from './helpers.ts';

const props = (topic?: sns.ITopic): LegacyBackupProps => ({
  handlers: { planner: PLACEHOLDER, chunk: PLACEHOLDER },
  bundling: { projectRoot: PROJECT_ROOT },
  failureTopic: topic,
  objectLock: { mode: 'GOVERNANCE', retention: Duration.days(30) },
  jobs: [
    {
      name: 'orders',
      schedules: [
        { expression: 'cron(15 2 * * ? *)', timeZone: 'Europe/Paris', mode: 'incremental' },
        { expression: 'cron(0 4 ? * SUN *)', timeZone: 'Europe/Paris', mode: 'full' },
      ],
      maxConcurrency: 6,
      hotRetention: Duration.days(30),
      coldRetention: Duration.days(365),
    },
    {
      name: 'invoices',
      schedules: [{ expression: 'rate(6 hours)', timeZone: 'UTC', mode: 'full' }],
      hotRetention: Duration.days(7),
      coldRetention: Duration.days(90),
    },
  ],
});

/** The state machine's definition, with every CloudFormation token replaced by a marker. */
function definitionOf(t: Template, prefix: string): any {
  const sm = t.toJSON().Resources[logicalId(t, 'AWS::StepFunctions::StateMachine', prefix)].Properties.DefinitionString;
  const parts = sm['Fn::Join'][1] as unknown[];
  return JSON.parse(parts.map((p) => (typeof p === 'string' ? p : 'TOKEN')).join(''));
}

/** A value of the right shape for an environment variable whose value is a CloudFormation token here. */
const sample = (name: string) =>
  ({ EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/1/q', TOPIC_ARN: 'arn:aws:sns:eu-west-1:1:t' })[name] ??
  (name === 'HOT_DB_SSLMODE' ? 'verify-full' : 'sample-value');

/** Stacks whose VPC must not look up zones: synth runs offline (CairnBackupsStack does the same). */
class OfflineStack extends Stack {
  override get availabilityZones(): string[] {
    return [Fn.select(0, Fn.getAzs()), Fn.select(1, Fn.getAzs())];
  }
}

describe('LegacyBackup', () => {
  let stack: Stack;
  let backup: LegacyBackup;
  let t: Template;

  beforeAll(() => {
    const { app } = testStack();
    stack = new OfflineStack(app, 'Backups', { env: { account: '123456789012', region: 'eu-west-1' } });
    const topic = new sns.Topic(stack, 'HubTopic', {
      enforceSSL: true,
      masterKey: new kms.Key(stack, 'HubKey', { enableKeyRotation: true }),
    });
    backup = new LegacyBackup(stack, 'Backup', {
      ...props(topic),
      appSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'AppSecret', 'cairn/app'),
    });
    t = Template.fromStack(stack);
  });

  describe('schedules', () => {
    it("start the job's state machine with EventBridge Scheduler, in the job's time zone, with no flexible window", () => {
      const sm = logicalId(t, 'AWS::StepFunctions::StateMachine', 'BackupJoborders');
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(15 2 * * ? *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: Match.objectLike({ Arn: { Ref: sm }, Input: JSON.stringify({ job: 'orders', mode: 'incremental' }) }),
      });
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'cron(0 4 ? * SUN *)',
        ScheduleExpressionTimezone: 'Europe/Paris',
        Target: Match.objectLike({ Input: JSON.stringify({ job: 'orders', mode: 'full' }) }),
      });
      t.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(6 hours)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
      });
      t.resourceCountIs('AWS::Scheduler::Schedule', 3);
    });
  });

  describe('the state machine', () => {
    it("plans, runs the chunks in a Map with the job's concurrency and retries each chunk, then finalizes", () => {
      const d = definitionOf(t, 'BackupJoborders');
      expect(d.StartAt).toBe('Start');
      expect(d.States.Start).toMatchObject({ Type: 'Pass', Next: 'Plan', ResultPath: '$.plan' });
      expect(d.States.Plan.Next).toBe('Chunks');
      const map = d.States.Chunks;
      expect(map).toMatchObject({ Type: 'Map', MaxConcurrency: 6, ItemsPath: '$.plan.chunks', Next: 'Finalize' });
      expect(map.ItemProcessor.States.Chunk.Retry).toEqual([
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 10, MaxAttempts: 3, BackoffRate: 2, JitterStrategy: 'FULL' },
      ]);
      expect(map.ItemProcessor.States.Chunk.Parameters.Payload).toMatchObject({ action: 'chunk', job: 'orders' });
      expect(d.States.Finalize).toMatchObject({ Next: 'Done' });
      expect(d.States.Finalize.Parameters.Payload).toMatchObject({ action: 'finalize', job: 'orders' });
      expect(definitionOf(t, 'BackupJobinvoices').States.Chunks.MaxConcurrency).toBe(4);
    });

    it("marks a failed run, publishes the failure to the hub's topic with its attributes, and fails", () => {
      const d = definitionOf(t, 'BackupJoborders');
      for (const step of ['Plan', 'Chunks', 'Finalize']) {
        expect(d.States[step].Catch).toEqual([
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'MarkFailed' },
        ]);
      }
      expect(d.States.MarkFailed).toMatchObject({ Next: 'PublishFailure' });
      const publish = d.States.PublishFailure;
      expect(publish.Resource).toContain(':states:::sns:publish');
      expect(publish.Parameters.MessageAttributes).toMatchObject({
        severity: { DataType: 'String', StringValue: 'error' },
        service: { DataType: 'String', StringValue: 'backups' },
      });
      expect(publish.Next).toBe('Failed');
      expect(d.States.Failed.Type).toBe('Fail');
    });

    it('logs every event and traces with X-Ray', () => {
      t.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        LoggingConfiguration: Match.objectLike({ Level: 'ALL', IncludeExecutionData: false }),
        TracingConfiguration: { Enabled: true },
      });
    });

    it('may publish to the encrypted topic', () => {
      const role = logicalId(t, 'AWS::IAM::Role', 'BackupJobordersStateMachineRole');
      const statements = Object.values(t.findResources('AWS::IAM::Policy'))
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(role))
        .flatMap((p) => p.Properties.PolicyDocument.Statement);
      const actions = statements.flatMap((s: any) => [s.Action].flat());
      expect(actions).toEqual(
        expect.arrayContaining(['sns:Publish', 'kms:GenerateDataKey', 'kms:Decrypt', 'lambda:InvokeFunction']),
      );
    });
  });

  describe('the hot target', () => {
    it('is an encrypted, private RDS Postgres with deletion protection and credentials in Secrets Manager', () => {
      t.hasResourceProperties('AWS::RDS::DBInstance', {
        Engine: 'postgres',
        StorageEncrypted: true,
        KmsKeyId: Match.anyValue(),
        DeletionProtection: true,
        PubliclyAccessible: false,
        EnableIAMDatabaseAuthentication: true,
        BackupRetentionPeriod: 7,
        MasterUsername: Match.anyValue(),
        MasterUserPassword: Match.objectLike({ 'Fn::Join': Match.anyValue() }),
      });
      t.hasResourceProperties('AWS::SecretsManager::Secret', {
        GenerateSecretString: Match.objectLike({ GenerateStringKey: 'password' }),
      });
      t.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
        RotationRules: { ScheduleExpression: 'rate(30 days)' },
      });
    });

    it('lives in isolated subnets of a VPC with flow logs, reachable from the workers only', () => {
      t.hasResourceProperties('AWS::RDS::DBSubnetGroup', { SubnetIds: Match.anyValue() });
      const subnets =
        t.toJSON().Resources[logicalId(t, 'AWS::RDS::DBSubnetGroup', 'BackupHotDatabase')].Properties.SubnetIds;
      expect(JSON.stringify(subnets)).toContain('databaseSubnet');
      t.hasResourceProperties('AWS::EC2::FlowLog', { LogDestinationType: 's3', TrafficType: 'REJECT' });
      const workers = logicalId(t, 'AWS::EC2::SecurityGroup', 'BackupWorkersSg');
      t.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
        IpProtocol: 'tcp',
        SourceSecurityGroupId: { 'Fn::GetAtt': [workers, 'GroupId'] },
      });
      for (const sg of Object.values(t.findResources('AWS::EC2::SecurityGroup'))) {
        expect(JSON.stringify(sg.Properties.SecurityGroupIngress ?? [])).not.toContain('0.0.0.0/0');
      }
      t.hasResourceProperties('AWS::Lambda::Function', {
        VpcConfig: { SubnetIds: Match.anyValue(), SecurityGroupIds: [{ 'Fn::GetAtt': [workers, 'GroupId'] }] },
      });
    });

    it("uses an existing database's secret instead, with no VPC or instance of its own", () => {
      const { app } = testStack();
      const s = new OfflineStack(app, 'Existing', { env: { account: '123456789012', region: 'eu-west-1' } });
      new LegacyBackup(s, 'Backup', {
        ...props(),
        objectLock: undefined,
        existingDatabase: {
          secret: secretsmanager.Secret.fromSecretCompleteArn(
            s,
            'Db',
            'arn:aws:secretsmanager:eu-west-1:123456789012:secret:legacy-db-AbCdEf',
          ),
        },
      });
      const e = Template.fromStack(s);
      e.resourceCountIs('AWS::RDS::DBInstance', 0);
      e.resourceCountIs('AWS::EC2::VPC', 0);
      e.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            HOT_DB_SECRET_ID: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:legacy-db-AbCdEf',
          }),
        },
      });
      expect(nagFindings(s)).toEqual([]);
    });
  });

  describe('the functions', () => {
    it('get the variables the backup handlers read, and the runs table shaped as the adapters define it', () => {
      const expected = createTableInput('x', BACKUPS_TABLE);
      t.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: expected.KeySchema,
        GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      for (const prefix of ['BackupPlannerHandler', 'BackupChunkHandler']) {
        const fn = t.toJSON().Resources[logicalId(t, 'AWS::Lambda::Function', prefix)].Properties;
        const vars = fn.Environment.Variables as Record<string, unknown>;
        expect(Object.keys(vars)).toEqual(
          expect.arrayContaining(['BUCKET', 'KMS_KEY_ID', 'BACKUPS_TABLE', 'HOT_DB_SECRET_ID', 'APP_SECRET_ID']),
        );
        expect(vars).toMatchObject({
          HOT_DB_NAME: 'cairn',
          HOT_DB_SSLMODE: 'verify-full',
          NODE_EXTRA_CA_CERTS: '/var/runtime/ca-cert.pem',
        });
        // Every variable set here is one src/runtime/lambda/env.ts knows (Node's own aside).
        const known = lambdaEnv(Object.fromEntries(Object.keys(vars).map((k) => [k, sample(k)])));
        for (const k of Object.keys(vars).filter((k) => !k.startsWith('NODE_'))) expect(known, k).toHaveProperty(k);
      }
    });

    it('report to the hub through its events queue when given one, not with a raw message on its topic', () => {
      const { app } = testStack();
      const s = new OfflineStack(app, 'WithHub', { env: { account: '123456789012', region: 'eu-west-1' } });
      const topic = new sns.Topic(s, 'HubTopic', { enforceSSL: true });
      const queue = new sqs.Queue(s, 'HubEvents', { enforceSSL: true });
      const b = new LegacyBackup(s, 'Backup', { ...props(topic), eventsQueue: queue });
      const w = Template.fromStack(s);
      const d = definitionOf(w, 'BackupJoborders');
      expect(d.States.PublishFailure).toBeUndefined();
      expect(d.States.MarkFailed).toMatchObject({ Next: 'Failed' });
      expect(d.States.MarkFailed.Parameters.Payload).toMatchObject({ action: 'fail', job: 'orders' });
      w.hasResourceProperties('AWS::Lambda::Function', {
        Environment: { Variables: Match.objectLike({ EVENTS_QUEUE_URL: Match.anyValue() }) },
      });
      expect(JSON.stringify(w.toJSON())).not.toContain('TOPIC_ARN');
      const send = allowStatements(w).filter((st) => actionsOf(st).includes('sqs:SendMessage'));
      expect(send.length).toBe(2); // the planner (which also finalizes and fails runs) and the chunk worker
      expect(allowStatements(w).filter((st) => actionsOf(st).includes('sns:Publish'))).toEqual([]);
      expect(nagFindings(b)).toEqual([]);
    });
  });

  describe('the cold bucket', () => {
    it("moves each job's copies to Glacier after the hot period and deletes them after the cold period", () => {
      const bucket = t.toJSON().Resources[logicalId(t, 'AWS::S3::Bucket', 'BackupColdBucket')].Properties;
      expect(bucket.LifecycleConfiguration.Rules).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            Id: 'retention-orders',
            Prefix: 'backups/orders/',
            Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 30 }],
            ExpirationInDays: 365,
          }),
          expect.objectContaining({
            Id: 'retention-invoices',
            Prefix: 'backups/invoices/',
            Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 7 }],
            ExpirationInDays: 90,
          }),
        ]),
      );
      expect(
        bucket.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm,
      ).toBe('aws:kms');
    });

    it('locks copies for the Object Lock retention when asked', () => {
      t.hasResourceProperties('AWS::S3::Bucket', {
        ObjectLockEnabled: true,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } },
        },
        VersioningConfiguration: { Status: 'Enabled' },
      });
    });
  });

  describe('security', () => {
    it('has no cdk-nag AwsSolutions finding left unacknowledged, each acknowledgement with a reason', () => {
      expect(nagFindings(backup)).toEqual([]);
      for (const a of acknowledgements(stack)) expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(30);
    });

    it('grants no wildcard action, and "*" resources only to actions that have no resource', () => {
      for (const s of allowStatements(t)) {
        for (const a of actionsOf(s)) expect(isServiceWildcard(a), a).toBe(false);
        if (resourcesOf(s).includes('*'))
          for (const a of actionsOf(s)) expect(RESOURCELESS_ACTIONS.has(a), a).toBe(true);
      }
    });

    it("lets the workers write only under the jobs' prefixes", () => {
      const s3 = allowStatements(t).filter((s) => actionsOf(s).includes('s3:PutObject'));
      expect(s3.length).toBe(2);
      for (const s of s3)
        expect(JSON.stringify(s.Resource)).toMatch(/\/backups\/orders\/\*".*\/backups\/invoices\/\*"/);
    });
  });

  describe('validation', () => {
    it('refuses schedules, retentions and locks that cannot work, listing every problem at once', () => {
      const { app } = testStack();
      const s = new OfflineStack(app, 'Bad');
      let error: unknown;
      try {
        new LegacyBackup(s, 'Bad', {
          ...props(),
          objectLock: { mode: 'COMPLIANCE', retention: Duration.days(400) },
          jobs: [
            {
              name: 'Orders',
              schedules: [{ expression: 'every day', timeZone: 'Mars/Base', mode: 'full' }],
              maxConcurrency: 50,
              hotRetention: Duration.days(30),
              coldRetention: Duration.days(10),
            },
            { name: 'dup', schedules: [], hotRetention: Duration.hours(36) },
            { name: 'dup', schedules: [{ expression: 'rate(1 day)', timeZone: 'UTC', mode: 'full' }] },
          ],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidPropsError);
      const text = (error as Error).message;
      for (const part of [
        'job names must be lower-case letters',
        'job names must be unique',
        'every job needs a schedule: dup',
        'every day',
        'Mars/Base',
        'maxConcurrency must be an integer from 1 to 40',
        'must be whole days',
        'coldRetention must be longer than hotRetention: Orders',
        'objectLock.retention must not exceed',
      ]) {
        expect(text).toContain(part);
      }
    });
  });
});
