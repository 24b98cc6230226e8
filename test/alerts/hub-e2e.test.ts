import { createHmac } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.ts';

type Json = Record<string, any>;
const SECRET = 'whsec_' + Buffer.from('a-test-secret-of-32-bytes-length').toString('base64');

/** A local Slack incoming-webhook stand-in that records what it receives. */
async function slackSink() {
  const received: Json[] = [];
  const waiters: (() => void)[] = [];
  const server: Server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push(JSON.parse(body) as Json);
      res.end('ok');
      waiters.splice(0).forEach((w) => w());
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    async waitFor(n: number, timeoutMs = 10_000) {
      const end = Date.now() + timeoutMs;
      while (received.length < n) {
        if (Date.now() > end) throw new Error(`the sink got ${received.length} messages, expected ${n}`);
        await new Promise<void>((r) => {
          waiters.push(r);
          setTimeout(r, 100);
        });
      }
      return received;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

function signed(body: string, id: string, timestamp = Math.floor(Date.now() / 1000)) {
  const key = Buffer.from(SECRET.slice(6), 'base64');
  const sig = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(timestamp),
    'webhook-signature': `v1,${sig}`,
  };
}

describe('the notification hub, end to end on the local runtime', () => {
  let s: TestServer;
  let sink: Awaited<ReturnType<typeof slackSink>>;
  let admin: string;

  beforeAll(async () => {
    sink = await slackSink();
    const dir = (await import('node:fs')).mkdtempSync(join((await import('node:os')).tmpdir(), 'cairn-hub-'));
    const config = join(dir, 'cairn.yaml');
    writeFileSync(
      config,
      [
        'alerts:',
        '  sources:',
        '    grafana:',
        `      verify: { scheme: standard-webhooks, secret: "${SECRET}" }`,
        '  enrich:',
        '    tables:',
        '      - key: service',
        '        values: { payments: { team: payments, runbook: "https://runbooks.example.com/payments" } }',
        '  channels:',
        `    ops-slack: { type: slack, url: "${sink.url}" }`,
        '  routes:',
        '    - match: { source: [grafana] }',
        '      channels: [ops-slack]',
        '      groupWait: 0s',
      ].join('\n'),
    );
    s = await startTestServer({ CAIRN_CONFIG: config });
    admin = await s.login();
  });
  afterAll(async () => {
    await s.stop();
    await sink.close();
  });

  it('accepts a signed webhook with 202, enriches it and posts it to Slack', async () => {
    const body = JSON.stringify({ title: 'Payment latency high', severity: 'critical', service: 'payments' });
    const res = await fetch(`${s.url}/hooks/grafana`, { method: 'POST', headers: signed(body, 'msg_1'), body });
    expect(res.status).toBe(202);
    const { eventId } = (await res.json()) as Json;
    const [message] = await sink.waitFor(1);
    expect(JSON.stringify(message)).toContain('Payment latency high');
    expect(JSON.stringify(message)).toContain('https://runbooks.example.com/payments');

    let event: Json = {};
    for (let i = 0; i < 50; i++) {
      event = (await (await s.api(`/api/events/${eventId}`, { token: admin })).json()) as Json;
      if (event.deliveries?.some((d: Json) => d.status === 'succeeded')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(event).toMatchObject({
      eventId,
      source: 'grafana',
      severity: 'critical',
      service: 'payments',
      labels: { team: 'payments' },
    });
    expect(event.rawBody).toBe(body);
    expect(event.deliveries).toEqual([expect.objectContaining({ target: 'channel:ops-slack', status: 'succeeded' })]);
  });

  it('stores a webhook delivered twice with the same webhook-id once', async () => {
    const body = JSON.stringify({ title: 'Twice', service: 'payments' });
    const first = (await (
      await fetch(`${s.url}/hooks/grafana`, { method: 'POST', headers: signed(body, 'msg_dup'), body })
    ).json()) as Json;
    const second = (await (
      await fetch(`${s.url}/hooks/grafana`, { method: 'POST', headers: signed(body, 'msg_dup'), body })
    ).json()) as Json;
    expect(second.eventId).toBe(first.eventId);
    await new Promise((r) => setTimeout(r, 500));
    const list = (await (await s.api('/api/events?text=Twice', { token: admin })).json()) as Json;
    expect(list.items).toHaveLength(1);
  });

  it('refuses a bad signature with 401 and an unknown source with 404', async () => {
    const body = '{"title":"forged"}';
    const headers = { ...signed(body, 'msg_forged'), 'webhook-signature': 'v1,' + Buffer.alloc(32).toString('base64') };
    expect((await fetch(`${s.url}/hooks/grafana`, { method: 'POST', headers, body })).status).toBe(401);
    expect((await fetch(`${s.url}/hooks/nope`, { method: 'POST', headers: signed(body, 'x'), body })).status).toBe(404);
  });

  it('feeds share events into the hub as source cairn', async () => {
    const fileId = await s.upload(admin, 'note.txt', 'hello');
    await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId] } });
    let items: Json[] = [];
    for (let i = 0; i < 50 && items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      items = ((await (await s.api('/api/events?source=cairn', { token: admin })).json()) as Json).items;
    }
    expect(items.map((e) => e.title)).toContain('share.created');
  });

  it('shows queue depths and counts events per month for the report, also as CSV', async () => {
    const queues = (await (await s.api('/api/alerts/queues', { token: admin })).json()) as Json;
    expect(queues.items.map((q: Json) => q.name)).toEqual(
      expect.arrayContaining(['events', 'notify', 'channel:ops-slack']),
    );
    const year = new Date().getUTCFullYear();
    const csv = await s.api(`/api/reports/events?year=${year}&groupBy=source`, {
      token: admin,
      headers: { accept: 'text/csv' },
    });
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    expect(await csv.text()).toMatch(/^source,count\r\n/);
  });
});
