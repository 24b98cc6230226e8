/**
 * `kill -9` of the whole server under webhook load. The real `cairn serve` runs as a child process with
 * one Standard Webhooks source routed to a Slack channel and a signed generic webhook channel, both
 * plain Node sinks here (the webhook one answers 500 for a while, so retries are pending at the kill).
 * Twenty senders post signed webhooks; after a few hundred 202s the server gets SIGKILL mid-flight, is
 * started again on the same data directory, and takes more. Then: every event answered 202 is in history
 * exactly once, reached both sinks, and has both deliveries recorded as succeeded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventIdFor } from '../../src/core/alerts/ingest/service.ts';
import { signStandardWebhook, standardWebhooksKey } from '../../src/core/alerts/ingest/standard-webhooks.ts';
import { type ChildServer, cairnEnv, freePort, spawnServer } from '../helpers/child-server.ts';
import {
  alive,
  descendants,
  type Json,
  post,
  type PostResult,
  type Sink,
  slackEventIds,
  startSink,
  webhookEventIds,
} from './kill9-helpers.ts';

const ADMIN_PASSWORD = 'kill9-admin-password';
const SOURCE = 'load';
const SOURCE_SECRET = 'whsec_' + Buffer.from('kill9-source-secret-of-32-bytes!').toString('base64');
const HOOK_SECRET = 'whsec_' + Buffer.from('kill9-channel-secret-of-32-bytes').toString('base64');
const SENDERS = 20;
/** The webhook sink starts answering 500 after this many 202s and recovers after the restart. */
const FAIL_FROM = 150;
/** The kill comes after at least this many 202s (plus a random part, so it lands somewhere new each run). */
const KILL_AFTER = 300;
const AFTER_RESTART = 200;
/** Everything must be delivered this long after the start (the test's own timeout is 85 s). */
const QUIESCENT_BY_MS = 75_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 of the server under webhook load', () => {
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let server: ChildServer | undefined;
  let slack: Sink;
  let hook: Sink;
  const key = standardWebhooksKey(SOURCE_SECRET);

  beforeAll(async () => {
    slack = await startSink({ eventIds: slackEventIds, delayMs: 5 });
    hook = await startSink({ eventIds: webhookEventIds, secret: HOOK_SECRET, delayMs: 2 });
    dataDir = mkdtempSync(join(tmpdir(), 'cairn-kill9-'));
    port = await freePort();
    const config = join(dataDir, 'cairn.yaml');
    // Short visibility timeout and backoff: what was in flight at the kill comes back within the test.
    // A short groupInterval: a follow-up notification of a group (a redelivered event) shows in it too.
    writeFileSync(
      config,
      [
        'alerts:',
        '  sources:',
        `    ${SOURCE}:`,
        `      verify: { scheme: standard-webhooks, secret: "${SOURCE_SECRET}" }`,
        '  queue: { visibilityTimeout: 5s, backoffBase: 1s, backoffMax: 4s }',
        '  delivery: { backoffBase: 1s, backoffMax: 4s, maxReceiveCount: 40 }',
        '  channels:',
        `    slack: { type: slack, url: "${slack.url}" }`,
        `    hook: { type: webhook, url: "${hook.url}", secret: "${HOOK_SECRET}" }`,
        '  routes:',
        `    - match: { source: [${SOURCE}] }`,
        '      channels: [slack, hook]',
        '      groupInterval: 2s',
      ].join('\n'),
    );
    env = cairnEnv({
      CAIRN_CONFIG: config,
      CAIRN_DATA_DIR: join(dataDir, 'data'),
      CAIRN_PORT: String(port),
      CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
  });
  afterAll(async () => {
    await server?.kill9();
    await Promise.all([slack?.close(), hook?.close()]);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  /** A signed webhook; the same delivery id always carries the same body (a sender's retry). */
  const send = (deliveryId: string, agent: Agent): Promise<PostResult> => {
    const body = JSON.stringify({ title: `load ${deliveryId}`, severity: 'critical', service: 'checkout' });
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': deliveryId,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhook(key, deliveryId, ts, body),
    };
    return post(`http://127.0.0.1:${port}/hooks/${SOURCE}`, headers, body, agent);
  };

  const api = async (path: string, token?: string): Promise<Json> => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Json;
  };
  const login = async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
    });
    if (res.status !== 200) throw new Error(`login: ${res.status} ${await res.text()}`);
    return ((await res.json()) as Json).token as string;
  };

  it('keeps every 202 event once in history and delivers it to both channels', async () => {
    const started = Date.now();
    const phases: string[] = [];
    const mark = (name: string) => phases.push(`${name} ${Date.now() - started}`);
    const accepted = new Map<string, string>(); // delivery id → event id, for every 202
    const unanswered: string[] = []; // delivery ids whose request was in flight at the kill
    const refused: string[] = [];
    const record = (id: string, r: PostResult) => {
      if (r.status === 202) accepted.set(id, r.body.eventId as string);
      else if (r.status === 'no answer') unanswered.push(id);
      else refused.push(`${id}: ${r.status} ${JSON.stringify(r.body)}`);
    };

    // 1. Load, then SIGKILL while requests and deliveries are in flight.
    server = await spawnServer(env, port);
    const first = server;
    const killAt = KILL_AFTER + Math.floor(Math.random() * 300);
    const atKill = { accepted: 0, slack: 0, hook: 0, pids: [] as number[] };
    let killed: Promise<void> | null = null;
    let next = 0;
    const agent1 = new Agent({ keepAlive: true, maxSockets: SENDERS });
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (!killed) {
          const id = `d${next++}`;
          record(id, await send(id, agent1));
          if (accepted.size >= FAIL_FROM) hook.failing = true;
          if (!killed && accepted.size >= killAt) {
            Object.assign(atKill, {
              accepted: accepted.size,
              slack: slack.delivered().size,
              hook: hook.delivered().size,
              pids: [first.child.pid!, ...descendants(first.child.pid!)],
            });
            killed = first.kill9();
          }
        }
      }),
    );
    await killed;
    mark('killed');
    agent1.destroy();
    expect(atKill.pids.filter(alive), 'processes left after SIGKILL').toEqual([]);
    expect(refused, 'webhooks refused before the kill').toEqual([]);
    // The kill must hit work in progress, or it proves nothing.
    expect(atKill.hook).toBeLessThan(atKill.accepted);

    // 2. Restart on the same data directory. A sender retries half of the unanswered deliveries (same
    //    webhook-id); the other half is abandoned. Then more new load.
    server = await spawnServer(env, port);
    mark('restarted');
    const agent2 = new Agent({ keepAlive: true, maxSockets: SENDERS });
    const sendUntilAnswered = async (id: string) => {
      let r = await send(id, agent2);
      for (let i = 0; i < 5 && r.status === 'no answer'; i++) r = await sleep(200).then(() => send(id, agent2));
      record(id, r);
      return r;
    };
    const retried = unanswered.filter((_, i) => i % 2 === 0);
    const abandoned = unanswered.filter((_, i) => i % 2 === 1);
    unanswered.length = 0;
    const duplicatesAtRetry = (await Promise.all(retried.map(sendUntilAnswered))).filter(
      (r) => r.status === 202 && r.body.duplicate === true,
    ).length;
    // A sender also redelivers webhooks it had a 202 for (its side timed out): their events were
    // delivered before the kill, so their first copies have left every queue.
    const seen = slack.delivered();
    const redelivered = [...accepted].filter(([, e]) => seen.has(e)).map(([d]) => d);
    await Promise.all(redelivered.map(sendUntilAnswered));
    const fresh = Array.from({ length: AFTER_RESTART }, (_, i) => `r${i}`);
    let cursor = 0;
    await Promise.all(
      Array.from({ length: SENDERS }, async () => {
        while (cursor < fresh.length) await sendUntilAnswered(fresh[cursor++]!);
      }),
    );
    agent2.destroy();
    expect(unanswered, 'webhooks unanswered after the restart').toEqual([]);
    expect(refused, 'webhooks refused after the restart').toEqual([]);
    hook.failing = false;
    mark('sent');

    // 3. Wait until both sinks have every accepted event and every queue is empty.
    const token = await login();
    const expected = new Set(accepted.values());
    const deadline = started + QUIESCENT_BY_MS;
    for (;;) {
      const [s, h] = [slack.delivered(), hook.delivered()];
      const missing = [...expected].filter((id) => !s.has(id) || !h.has(id));
      const queues = (await api('/api/alerts/queues', token)).items as Json[];
      expect(
        queues.filter((q) => q.dead > 0),
        'dead letters',
      ).toEqual([]);
      const busy = queues.filter((q) => q.visible + q.inFlight + q.delayed > 0);
      if (missing.length === 0 && busy.length === 0) break;
      if (Date.now() > deadline) {
        throw new Error(
          `not quiescent ${QUIESCENT_BY_MS} ms after the start: ${missing.length} events missing at a sink ` +
            `(e.g. ${missing.slice(0, 3).join(', ')}); queues ${JSON.stringify(busy)}\n${server.output().slice(-3000)}`,
        );
      }
      await sleep(250);
    }

    mark('quiescent');

    // 4. History: every 202 once; nothing else but perhaps some abandoned in-flight deliveries.
    const history: Json[] = [];
    let page: Json = {};
    do {
      const after = page.cursor ? `&cursor=${encodeURIComponent(page.cursor as string)}` : '';
      page = await api(`/api/events?source=${SOURCE}&limit=200${after}`, token);
      history.push(...(page.items as Json[]));
    } while (page.cursor);
    const titles = new Map<string, number>();
    for (const e of history) titles.set(e.title, (titles.get(e.title) ?? 0) + 1);
    expect(
      [...titles].filter(([, n]) => n > 1),
      'titles stored more than once',
    ).toEqual([]);
    const inHistory = new Set(history.map((e) => e.eventId as string));
    expect(inHistory.size).toBe(history.length);
    expect(
      [...expected].filter((id) => !inHistory.has(id)),
      'accepted events missing from history',
    ).toEqual([]);
    const mayBeThere = new Set(abandoned.map((id) => eventIdFor(SOURCE, id)));
    const unexpected = [...inHistory].filter((id) => !expected.has(id) && !mayBeThere.has(id));
    expect(unexpected, 'events in history that were never sent or in flight').toEqual([]);
    const abandonedStored = [...mayBeThere].filter((id) => inHistory.has(id)).length;
    for (const [deliveryId, eventId] of accepted) expect(eventId).toBe(eventIdFor(SOURCE, deliveryId));

    // 5. Sinks: every stored event at least once each; webhook repeats carry the same webhook-id.
    const [slackGot, hookGot] = [slack.delivered(), hook.delivered()];
    const notDelivered = [...inHistory].filter((id) => !slackGot.has(id) || !hookGot.has(id));
    expect(notDelivered, 'stored events a sink never got').toEqual([]);
    expect([slack.badSignatures, hook.badSignatures]).toEqual([0, 0]);
    const hookIds = new Map<string, Set<string | null>>();
    for (const h of hook.hits)
      for (const id of h.eventIds) hookIds.set(id, (hookIds.get(id) ?? new Set()).add(h.webhookId));
    const mixed = [...hookIds].filter(([, ids]) => ids.size !== 1).map(([id, ids]) => `${id}: ${[...ids].join(' ')}`);
    expect(mixed, 'events delivered to the webhook under different webhook-ids').toEqual([]);
    const repeats = (got: Map<string, number>) => [...got.values()].reduce((n, c) => n + c - 1, 0);

    // 6. Every stored event has both deliveries recorded as succeeded.
    const ids = [...inHistory];
    const notSucceeded: string[] = [];
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        for (let id = ids.pop(); id; id = ids.pop()) {
          const { deliveries } = (await api(`/api/events/${id}`, token)) as { deliveries: Json[] };
          const ok = new Set(deliveries.filter((d) => d.status === 'succeeded').map((d) => d.target));
          if (!ok.has('channel:slack') || !ok.has('channel:hook'))
            notSucceeded.push(`${id}: ${JSON.stringify(deliveries)}`);
        }
      }),
    );
    expect(notSucceeded, 'events without two succeeded deliveries').toEqual([]);

    console.log(
      `kill -9 after ${atKill.accepted} 202s (slack had ${atKill.slack}, webhook ${atKill.hook}); ` +
        `in flight at the kill: ${retried.length + abandoned.length} (${retried.length} retried, ` +
        `${duplicatesAtRetry} of them already queued; ${abandonedStored}/${abandoned.length} abandoned ones stored); ` +
        `${redelivered.length} delivered ones sent again; ` +
        `${expected.size} accepted, ${history.length} in history; repeats: slack ${repeats(slackGot)}, ` +
        `webhook ${repeats(hookGot)} (webhook 500s ${hook.hits.filter((h) => !h.ok).length}); ` +
        `${Date.now() - started} ms (${phases.join(', ')})`,
    );
  }, 85_000);
});
