/**
 * Subscriptions made through the API, delivered on AWS: the generic subscription-deliverer
 * (SUBSCRIPTION_ORIGIN=runtime, as the CDK app deploys it) reads them from the DynamoDB store
 * (dynalite), applies each one's filter policy with the core's Topic, and POSTs Standard Webhooks
 * signed events to real HTTP endpoints on loopback. SQS is mocked with aws-sdk-client-mock (no SQS
 * emulator here): a failed delivery must come back as a batch item failure with a backoff.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoEventHistory } from '../../../src/adapters/aws/dynamodb/event-history.ts';
import { DynamoSubscriptionStore } from '../../../src/adapters/aws/dynamodb/subscription-store.ts';
import { EVENTS_TABLE, HUB_TABLE } from '../../../src/adapters/aws/dynamodb/tables.ts';
import { snsBody } from '../../../src/adapters/aws/sns-topic.ts';
import { standardWebhooksKey, standardWebhooksVerifier } from '../../../src/core/alerts/ingest/index.ts';
import type { EnrichedEvent } from '../../../src/core/alerts/model.ts';
import { SubscriptionDirectory } from '../../../src/core/alerts/topic/index.ts';
import { startDynalite, type RunningDynalite } from '../helpers/dynalite.ts';
import { context, lambdaEnvironment, sqsEvent, sqsRecord } from './setup.ts';

const sqs = mockClient(SQSClient);
let db: RunningDynalite;
let history: DynamoEventHistory;
let directory: SubscriptionDirectory;
let sink: Server;
let base: string;
let handler: typeof import('../../../src/runtime/lambda/subscription-deliverer.ts').handler;
let ttlMs: number;
const received: { path: string; headers: Record<string, string | string[] | undefined>; body: string }[] = [];
const secrets = new Map<string, string>();

const event = (eventId: string, over: Partial<EnrichedEvent> = {}): EnrichedEvent => ({
  eventId,
  source: 'grafana',
  receivedAt: '2026-01-01T00:00:00.000Z',
  enrichedAt: '2026-01-01T00:00:01.000Z',
  title: 'Invoices failing',
  summary: 'billing-api 5xx at 12%',
  severity: 'critical',
  status: 'firing',
  service: 'billing-api',
  fingerprint: `fp-${eventId}`,
  labels: { team: 'payments' },
  enrichment: {},
  payload: {},
  ...over,
});

/** Records the event in history and hands the handler what SNS puts on the queue (raw delivery). */
async function publish(e: EnrichedEvent, messageId: string, receiveCount = 1) {
  await history.save(e, '{}', new Date('2030-01-01T00:00:00Z'));
  return handler(sqsEvent(sqsRecord(messageId, snsBody(e), receiveCount)), context);
}

/** What POST /api/alerts/subscriptions does: the directory validates and stores, returning the secret. */
async function subscribe(input: Record<string, unknown>) {
  const made = await directory.put(input, new Date());
  secrets.set(made.name, made.secret);
}

const pathsOf = (eventId: string) =>
  received
    .filter((r) => r.headers['webhook-id'] === eventId)
    .map((r) => r.path)
    .sort();

beforeAll(async () => {
  db = await startDynalite();
  const eventsTable = await db.table(EVENTS_TABLE);
  const hubTable = await db.table(HUB_TABLE);
  history = new DynamoEventHistory({ doc: db.doc(), table: eventsTable, retentionSeconds: 86400 });
  directory = new SubscriptionDirectory([], new DynamoSubscriptionStore(db.doc(), hubTable));
  sink = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, body });
      res.writeHead(req.url === '/flaky' ? 500 : 204).end();
    });
  });
  await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(sink.address() as AddressInfo).port}`;
  const endpoint = await db.client().config.endpoint!();
  lambdaEnvironment(
    `alerts:
  subscriptions:
    - name: from-yaml
      endpoint: "${base}/yaml"
`,
    {
      APP_SECRET_ID: '',
      EVENTS_TABLE: eventsTable,
      HUB_TABLE: hubTable,
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      SUBSCRIPTION_ORIGIN: 'runtime',
    },
  );
  await subscribe({ name: 'criticals', endpoint: `${base}/critical`, filterPolicy: { severity: ['critical'] } });
  await subscribe({
    name: 'billing-body',
    endpoint: `${base}/billing`,
    filterPolicyScope: 'MessageBody',
    filterPolicy: { service: [{ prefix: 'billing' }] },
  });
  await subscribe({ name: 'infos', endpoint: `${base}/info`, filterPolicy: { severity: ['info'] } });
  const mod = await import('../../../src/runtime/lambda/subscription-deliverer.ts');
  ({ handler } = mod);
  ttlMs = mod.SUBSCRIPTIONS_TTL_MS;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  delete process.env.SUBSCRIPTION_ORIGIN;
  await new Promise<void>((r) => sink.close(() => r()));
  await db.close();
});
beforeEach(() => {
  sqs.reset();
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
  vi.useFakeTimers({ toFake: ['Date'], now: new Date() });
});
afterEach(() => vi.useRealTimers());

describe('subscription-deliverer for subscriptions made through the API', () => {
  it("delivers to each runtime subscription whose filter policy accepts the event, signed with that subscription's secret", async () => {
    const out = await publish(event('evt_a'), 'm-a');
    expect(out?.batchItemFailures).toEqual([]);
    expect(pathsOf('evt_a')).toEqual(['/billing', '/critical']);
    for (const r of received.filter((x) => x.headers['webhook-id'] === 'evt_a')) {
      const name = r.path === '/critical' ? 'criticals' : 'billing-body';
      const verify = standardWebhooksVerifier(standardWebhooksKey(secrets.get(name)!), 300).verify;
      const header = (h: string) => r.headers[h] as string | undefined;
      expect(() => verify({ header, rawBody: Buffer.from(r.body), now: new Date() })).not.toThrow();
      expect(JSON.parse(r.body)).toMatchObject({ type: 'event.firing', data: { eventId: 'evt_a' } });
    }
    // cairn.yaml's subscriptions have their own queue and function on AWS: not served here.
    expect(received.some((r) => r.path === '/yaml')).toBe(false);
  });

  it('sees a new subscription once its cached list expires, and retries only what failed', async () => {
    await subscribe({ name: 'flaky', endpoint: `${base}/flaky` });
    await publish(event('evt_b', { severity: 'warning', service: 'search' }), 'm-b');
    expect(pathsOf('evt_b')).toEqual([]); // the list read before 'flaky' existed is still in use

    vi.setSystemTime(Date.now() + ttlMs + 1);
    const failed = await publish(event('evt_c'), 'm-c');
    expect(pathsOf('evt_c')).toEqual(['/billing', '/critical', '/flaky']);
    expect(failed?.batchItemFailures).toEqual([{ itemIdentifier: 'm-c' }]);
    const backoff = sqs.commandCalls(ChangeMessageVisibilityCommand)[0]!.args[0].input;
    expect(backoff).toMatchObject({ ReceiptHandle: 'handle-m-c' });
    expect(backoff.VisibilityTimeout).toBeGreaterThanOrEqual(0);

    // SQS receives it again: only the subscription that failed is sent to.
    const retried = await handler(sqsEvent(sqsRecord('m-c', snsBody(event('evt_c')), 2)), context);
    expect(retried?.batchItemFailures).toEqual([{ itemIdentifier: 'm-c' }]);
    expect(pathsOf('evt_c')).toEqual(['/billing', '/critical', '/flaky', '/flaky']);
  });

  it('stops delivering to a removed subscription at once, even while the list is cached', async () => {
    await directory.remove('criticals');
    await directory.remove('flaky');
    const out = await publish(event('evt_d'), 'm-d');
    expect(out?.batchItemFailures).toEqual([]);
    expect(pathsOf('evt_d')).toEqual(['/billing']);
  });

  it('fails the record when the event is not in history yet, so SQS brings it back', async () => {
    const out = await handler(sqsEvent(sqsRecord('m-e', JSON.stringify({ eventId: 'evt_missing' }))), context);
    expect(out?.batchItemFailures).toEqual([{ itemIdentifier: 'm-e' }]);
  });
});
