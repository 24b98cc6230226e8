import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCairnApp, LAMBDA_HANDLERS, type CairnHandlers } from '../lib/app.ts';
import { InvalidPropsError } from '../lib/constructs/private/validation.ts';
import { CairnConfigError } from '../lib/config/cairn-config.ts';
import { FIXTURE_CONFIG, PLACEHOLDER, PROJECT_ROOT } from './helpers.ts';

const placeholders: CairnHandlers = {
  sharing: { api: PLACEHOLDER, sweeper: PLACEHOLDER },
  hub: { enrich: PLACEHOLDER, notifier: PLACEHOLDER, channelSender: PLACEHOLDER, subscriptionDeliverer: PLACEHOLDER },
  backups: { planner: PLACEHOLDER, chunk: PLACEHOLDER },
};

const outdirs: string[] = [];
function build(context: Record<string, string> = {}, handlers = placeholders) {
  const outdir = mkdtempSync(join(tmpdir(), 'cairn-cdk-'));
  outdirs.push(outdir);
  process.env.CDK_DEFAULT_ACCOUNT = '123456789012';
  process.env.CDK_DEFAULT_REGION = 'eu-west-1';
  return buildCairnApp({
    projectRoot: PROJECT_ROOT,
    handlers,
    appProps: {
      outdir,
      builtinCloudFormationValidation: false,
      context: { config: FIXTURE_CONFIG, webAssets: 'none', ...context },
    },
  });
}

afterAll(() => {
  for (const d of outdirs) rmSync(d, { recursive: true, force: true });
});

describe('the Cairn CDK app', () => {
  let built: ReturnType<typeof build>;
  let hub: Template;
  let sharing: Template;
  let backups: Template;

  beforeAll(() => {
    built = build();
    built.app.synth();
    hub = Template.fromStack(built.stacks.hub);
    sharing = Template.fromStack(built.stacks.sharing);
    backups = Template.fromStack(built.stacks.backups);
  });

  it('makes three stacks, the hub first because the others publish to it', () => {
    expect([built.stacks.hub, built.stacks.sharing, built.stacks.backups].map((s) => s.stackName)).toEqual([
      'CairnHub',
      'CairnSharing',
      'CairnBackups',
    ]);
    expect(built.stacks.sharing.dependencies).toContain(built.stacks.hub);
    expect(built.stacks.backups.dependencies).toContain(built.stacks.hub);
  });

  it("synthesizes with cdk-nag's AwsSolutions checks registered, and a new unexplained finding fails the synth", () => {
    const bad = build();
    new s3.Bucket(bad.stacks.hub, 'Unlogged', { enforceSSL: true });
    expect(() => bad.app.synth()).toThrow(/S3 Bucket has server access logs disabled[\s\S]*CairnHub\/Unlogged/);
  });

  it('configures the hub from cairn.yaml: queue, subscriptions, metric filters and alarms', () => {
    hub.hasResourceProperties('AWS::SQS::Queue', {
      VisibilityTimeout: 60,
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 7 }),
    });
    // alerts.delivery: the channels queue gives outside receivers longer than the hub's own queues.
    const receives = Object.fromEntries(
      Object.entries(hub.findResources('AWS::SQS::Queue')).map(([id, q]) => [
        id.replace(/[0-9A-F]{8}$/, ''),
        (q.Properties as { RedrivePolicy?: { maxReceiveCount: number } }).RedrivePolicy?.maxReceiveCount,
      ]),
    );
    expect(receives).toMatchObject({
      HubChannelsQueue: 9,
      HubRuntimeSubscriptionsQueue: 9,
      HubSubbillingQueue: 15, // cairn.yaml's subscription default (alerts.subscriptions[].maxReceiveCount)
      HubSubauditsinkQueue: 3, // audit-sink's own count
      HubEventsQueue: 7, // the hub's own queues keep alerts.queue's
    });
    // Two config subscriptions, the notifier, and the runtime subscriptions queue.
    expect(Object.keys(hub.findResources('AWS::SNS::Subscription')).length).toBe(4);
    hub.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterName: 'billing-errors',
      MetricTransformations: [Match.objectLike({ Dimensions: [{ Key: 'Service', Value: '$.service' }] })],
    });
    hub.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'billing-errors',
      ExtendedStatistic: 'p99',
      Dimensions: [{ Name: 'Service', Value: 'invoices' }],
    });
    expect(
      Object.values(hub.findResources('AWS::Logs::LogGroup')).filter((g) =>
        String(g.Properties.LogGroupName).startsWith('/legacy/'),
      ).length,
    ).toBe(3);
  });

  it('configures sharing from cairn.yaml: sweep interval, pending uploads and session length', () => {
    sharing.hasResourceProperties('AWS::Events::Rule', { ScheduleExpression: 'rate(2 minutes)' });
    sharing.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      RefreshTokenValidity: 720,
      TokenValidityUnits: Match.objectLike({ RefreshToken: 'minutes' }),
    });
    const files = Object.values(sharing.findResources('AWS::S3::Bucket')).find((b) => b.Properties.CorsConfiguration)!;
    expect(files.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 2 }),
    );
  });

  it("configures backups from cairn.yaml: one state machine per job, scheduled in the job's time zone", () => {
    backups.resourceCountIs('AWS::StepFunctions::StateMachine', 2);
    backups.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'cron(15 2 * * ? *)',
      ScheduleExpressionTimezone: 'Europe/Paris',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    backups.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(6 hours)',
      ScheduleExpressionTimezone: 'UTC',
    });
  });

  it("wires sharing and backups to the hub's queue and topic across stacks", () => {
    const api = Object.values(sharing.findResources('AWS::Lambda::Function')).find((f) =>
      f.Properties.Description?.includes('HTTP API'),
    )!;
    expect(JSON.stringify(api.Properties.Environment.Variables.EVENTS_QUEUE_URL)).toContain('Fn::ImportValue');
    expect(JSON.stringify(backups.toJSON())).toContain('Fn::ImportValue');
  });

  it('bundles cairn.yaml beside every handler and points CAIRN_CONFIG at it', () => {
    const assets = readdirSync(built.app.outdir).filter(
      (d) => d.startsWith('asset.') && existsSync(join(built.app.outdir, d, 'index.mjs')),
    );
    expect(assets.length).toBeGreaterThan(0);
    for (const a of assets) {
      expect(readFileSync(join(built.app.outdir, a, 'cairn.yaml'), 'utf8')).toBe(
        readFileSync(join(PROJECT_ROOT, FIXTURE_CONFIG), 'utf8'),
      );
    }
    for (const t of [hub, sharing, backups]) {
      for (const f of Object.values(t.findResources('AWS::Lambda::Function'))) {
        if (f.Properties.Runtime === 'nodejs24.x')
          expect(f.Properties.Environment.Variables.CAIRN_CONFIG).toBe('cairn.yaml');
      }
    }
  });

  it('synthesizes offline: no context lookup is left for the CLI to make', () => {
    const manifest = JSON.parse(readFileSync(join(built.app.outdir, 'manifest.json'), 'utf8'));
    expect(manifest.missing ?? []).toEqual([]);
  });

  it('refuses bad context values, naming each', () => {
    expect(() =>
      build({ removalPolicy: 'sometimes', natGateways: '7', objectLockMode: 'STRICT', objectLockDays: '0' }),
    ).toThrow(InvalidPropsError);
    try {
      build({ removalPolicy: 'sometimes', natGateways: '7', objectLockMode: 'STRICT', objectLockDays: '0' });
    } catch (e) {
      expect((e as InvalidPropsError).problems).toHaveLength(4);
    }
  });

  it('refuses a cairn.yaml with mistakes, naming every key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cairn-yaml-'));
    outdirs.push(dir);
    const file = join(dir, 'cairn.yaml');
    writeFileSync(file, 'sharing:\n  sweepIntervall: 1m\nalerts:\n  queue: { maxReceiveCount: 0 }\n');
    let error: unknown;
    try {
      build({ config: file });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CairnConfigError);
    expect((error as Error).message).toContain('sharing.sweepIntervall: unknown key');
    expect((error as Error).message).toContain('alerts.queue.maxReceiveCount');
  });

  it('bundles the real handlers of src/runtime/lambda/, which all exist', () => {
    const entries = Object.values(LAMBDA_HANDLERS).flatMap((h: object) => Object.values(h) as string[]);
    expect(entries.length).toBe(8);
    for (const e of entries) expect(existsSync(join(PROJECT_ROOT, e)), e).toBe(true);
  });

  it('names the handlers that do not exist yet instead of bundling a placeholder', () => {
    const missing: CairnHandlers = {
      ...placeholders,
      backups: { planner: 'src/runtime/lambda/not-there.ts', chunk: PLACEHOLDER },
    };
    expect(() => build({}, missing)).toThrow(/handler entries not found .*src\/runtime\/lambda\/not-there\.ts/);
  });
});
