/**
 * A subscriber that is down for minutes: its deliveries keep being retried with backoff (on the real
 * server's queues and workers, with the clock moved by the test) and arrive once it is back, while a
 * channel on the same event is delivered at once, not held up by the outage. Nothing is dead-lettered.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { alertsSchema } from '../../src/config/alerts.ts';
import { minimumRetrySpanSeconds } from '../../src/core/alerts/workers/outcome.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

type Json = Record<string, any>;
const SECRET = 'whsec_' + Buffer.from('a-test-secret-of-32-bytes-length').toString('base64');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A sink that records request bodies by path; listens on a given port (0: any). */
function sink(port = 0) {
  const received: { path: string; body: string }[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body });
      res.end('ok');
    });
  });
  return new Promise<{ received: typeof received; port: number; close(): Promise<void> }>((resolve) =>
    server.listen(port, '127.0.0.1', () =>
      resolve({
        received,
        port: (server.address() as AddressInfo).port,
        close: () => new Promise<void>((r) => server.close(() => r())),
      }),
    ),
  );
}

let s: TestServer;
let admin: string;
let slack: Awaited<ReturnType<typeof sink>>;
let subscriberPort: number;

beforeAll(async () => {
  slack = await sink();
  // A port that was free a moment ago: connections to it are refused until the subscriber comes back.
  const probe = await sink();
  subscriberPort = probe.port;
  await probe.close();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-outage-'));
  const config = join(dir, 'cairn.yaml');
  writeFileSync(
    config,
    [
      'alerts:',
      '  sources:',
      '    grafana:',
      `      verify: { scheme: standard-webhooks, secret: "${SECRET}" }`,
      '  channels:',
      `    ops-slack: { type: slack, url: "http://127.0.0.1:${slack.port}/slack" }`,
      '  routes:',
      '    - match: { source: [grafana] }',
      '      channels: [ops-slack]',
      '      groupWait: 0s',
      '  subscriptions:',
      `    - { name: warehouse, endpoint: "http://127.0.0.1:${subscriberPort}/events" }`,
    ].join('\n'),
  );
  s = await startTestServer({ CAIRN_CONFIG: config });
  admin = await s.login();
});
afterAll(async () => {
  await s?.stop();
  await slack?.close();
});

async function deliveries(eventId: string): Promise<Json[]> {
  const res = await s.api(`/api/events/${eventId}`, { token: admin });
  return res.status === 200 ? (((await res.json()) as Json).deliveries ?? []) : [];
}

it('retries a subscriber that is down for 6 minutes and delivers once it is back, without holding up Slack', async () => {
  const body = JSON.stringify({ title: 'Disk almost full', severity: 'warning', service: 'warehouse' });
  const id = 'msg_outage_1';
  const ts = Math.floor(s.clock.now().getTime() / 1000);
  const sig = createHmac('sha256', Buffer.from(SECRET.slice(6), 'base64'))
    .update(`${id}.${ts}.${body}`)
    .digest('base64');
  const res = await fetch(`${s.url}/hooks/grafana`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': `v1,${sig}`,
    },
    body,
  });
  expect(res.status).toBe(202);
  const { eventId } = (await res.json()) as { eventId: string };

  // Slack gets it at once, whatever the subscriber does.
  for (let i = 0; i < 100 && slack.received.length === 0; i++) await sleep(100);
  expect(slack.received.map((r) => r.body).join()).toContain('Disk almost full');

  // Six minutes of outage, in 20 s steps: each step lets the workers try again when the backoff is due.
  let failedAttempts = 0;
  for (let elapsed = 0; elapsed < 6 * 60; elapsed += 20) {
    s.clock.advance(20_000);
    await sleep(350); // longer than the workers' idle poll (200 ms)
    const sub = (await deliveries(eventId)).find((d) => d.target === 'subscription:warehouse');
    if (sub) {
      expect(sub.status).not.toBe('dead');
      expect(sub.status).not.toBe('succeeded');
      failedAttempts = sub.attempts;
    }
  }
  expect(failedAttempts).toBeGreaterThanOrEqual(3); // it was tried repeatedly, with backoff, not given up

  const subscriber = await sink(subscriberPort);
  try {
    let sub: Json | undefined;
    for (let i = 0; i < 60; i++) {
      s.clock.advance(30_000);
      await sleep(350);
      sub = (await deliveries(eventId)).find((d) => d.target === 'subscription:warehouse');
      if (sub?.status === 'succeeded') break;
    }
    expect(sub).toMatchObject({ status: 'succeeded' });
    expect(sub!.attempts).toBeGreaterThan(failedAttempts);
    expect(subscriber.received).toHaveLength(1);
    expect(JSON.parse(subscriber.received[0]!.body)).toMatchObject({ data: { eventId } });
    expect(slack.received).toHaveLength(1); // the channel was not re-sent by the subscriber's retries
    const dead = (await (await s.api('/api/alerts/queues', { token: admin })).json()) as Json;
    expect(JSON.stringify(dead)).not.toMatch(/"dead":[1-9]/);
  } finally {
    await subscriber.close();
  }
});

it('retries outbound deliveries for at least 2.7 hours by default', () => {
  const d = alertsSchema.parse({}).delivery;
  expect(minimumRetrySpanSeconds(d.maxReceiveCount, d.backoffBase, d.backoffMax)).toBeGreaterThanOrEqual(2.7 * 3600);
});
