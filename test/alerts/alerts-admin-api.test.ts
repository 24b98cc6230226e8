/**
 * The alerts admin API on a real server: silences of cairn.yaml listed next to runtime ones (origin,
 * next window of a recurring one across a DST change, read-only), and dead letters of a channel queue
 * naming their event. The channel's receiver is a plain Node HTTP server that always answers 500.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deadLetterView } from '../../src/http/routes/dead-letter-view.ts';
import { expectError } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { expectDocumented } from '../http/openapi-schema.ts';

type Json = Record<string, any>;
const TOKEN = 'a-bearer-token-for-the-test-source';

describe('the alerts admin API: silences from cairn.yaml and dead letters that name their event', () => {
  let s: TestServer;
  let admin: string;
  let sink: Server;
  let hits = 0;
  let dir: string;
  const get = async (path: string) => {
    const res = await s.api(path, { token: admin });
    const body = (await res.json()) as Json;
    expect(res.status, JSON.stringify(body)).toBe(200);
    return body;
  };

  beforeAll(async () => {
    sink = createServer((req, res) => {
      hits += 1;
      req.resume().on('end', () => res.writeHead(500).end('receiver down'));
    });
    await new Promise<void>((r) => sink.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/hook`;
    dir = mkdtempSync(join(tmpdir(), 'cairn-admin-api-'));
    const config = join(dir, 'cairn.yaml');
    writeFileSync(
      config,
      [
        'alerts:',
        '  delivery: { maxReceiveCount: 1, backoffBase: 1, backoffMax: 1 }',
        '  sources:',
        `    grafana: { verify: { scheme: bearer, secret: "${TOKEN}" } }`,
        '  channels:',
        `    broken: { type: slack, url: "${url}" }`,
        '  routes:',
        '    - { match: { source: [grafana] }, channels: [broken], groupWait: 0s }',
        '  silences:',
        '    - name: sunday-maintenance',
        '      match: { service: [nightly-batch] }',
        '      schedule: { expression: "cron(0 2 ? * SUN *)", duration: 2h, timeZone: Europe/Paris }',
        '      comment: Weekly database maintenance',
        '    - name: migration',
        '      match: { service: [nightly-batch] }',
        '      startsAt: "2026-03-01T00:00:00Z"',
        '      endsAt: "2026-04-01T00:00:00Z"',
        '    - name: old-freeze',
        '      match: { service: [nightly-batch] }',
        '      endsAt: "2025-01-01T00:00:00Z"',
      ].join('\n'),
    );
    s = await startTestServer({ CAIRN_CONFIG: config });
    admin = await s.login();
  });
  afterAll(async () => {
    await s.stop();
    await new Promise((r) => sink.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it("lists cairn.yaml's silences with origin config; a recurring one's next window skips the DST gap", async () => {
    // Saturday 2026-03-28: 02:00 on Sunday does not exist in Paris (clocks go 02:00 → 03:00), so the
    // window opens the Sunday after, at 02:00 CEST (00:00Z).
    s.clock.set(new Date('2026-03-28T12:00:00Z'));
    const body = await get('/api/alerts/silences?origin=config');
    expectDocumented('GET', '/api/alerts/silences', 200, body);
    expect(body.items).toEqual([
      {
        id: 'config:sunday-maintenance',
        origin: 'config',
        name: 'sunday-maintenance',
        match: { service: ['nightly-batch'] },
        comment: 'Weekly database maintenance',
        startsAt: null,
        endsAt: null,
        schedule: { expression: 'cron(0 2 ? * SUN *)', durationSeconds: 7200, timeZone: 'Europe/Paris' },
        nextWindow: { startsAt: '2026-04-05T00:00:00.000Z', endsAt: '2026-04-05T02:00:00.000Z' },
        state: 'scheduled',
      },
      expect.objectContaining({
        id: 'config:migration',
        startsAt: '2026-03-01T00:00:00.000Z',
        endsAt: '2026-04-01T00:00:00.000Z',
        schedule: null,
        nextWindow: { startsAt: '2026-03-01T00:00:00.000Z', endsAt: '2026-04-01T00:00:00.000Z' },
        state: 'active',
      }),
      expect.objectContaining({ id: 'config:old-freeze', startsAt: null, nextWindow: null, state: 'expired' }),
    ]);
    expect(body.cursor).toBeUndefined();
  });

  it('shows the window holding now while a recurring silence is active', async () => {
    s.clock.set(new Date('2026-04-05T01:00:00Z'));
    const [first] = (await get('/api/alerts/silences?origin=config&limit=1')).items;
    expect(first).toMatchObject({
      state: 'active',
      nextWindow: { startsAt: '2026-04-05T00:00:00.000Z', endsAt: '2026-04-05T02:00:00.000Z' },
    });
  });

  it('lists config silences first, then runtime ones with origin api, page by page', async () => {
    s.clock.set(new Date('2026-03-28T12:00:00Z'));
    const made = await s.api('/api/alerts/silences', {
      method: 'POST',
      token: admin,
      json: { match: { service: ['search'] }, endsAt: '2026-03-29T00:00:00Z', comment: 'reindex' },
    });
    expect(made.status).toBe(201);
    const created = (await made.json()) as Json;
    expectDocumented('POST', '/api/alerts/silences', 201, created);
    expect(created.origin).toBe('api');

    const all = await get('/api/alerts/silences');
    expect(all.items.map((i: Json) => [i.origin, i.id])).toEqual([
      ['config', 'config:sunday-maintenance'],
      ['config', 'config:migration'],
      ['config', 'config:old-freeze'],
      ['api', created.id],
    ]);
    const walked: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await get(`/api/alerts/silences?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      walked.push(...page.items.map((i: Json) => i.id));
      cursor = page.cursor;
    } while (cursor);
    expect(walked).toEqual(all.items.map((i: Json) => i.id));
    expect((await get('/api/alerts/silences?origin=api')).items).toEqual([{ ...created, origin: 'api' }]);
  });

  it('refuses to delete a silence of cairn.yaml with 409, saying to edit the file', async () => {
    const res = await s.api('/api/alerts/silences/config:sunday-maintenance', { method: 'DELETE', token: admin });
    const body = await expectError(res, 409, 'CAIRN_SILENCE_READ_ONLY');
    expect(body.error.message).toMatch(/edit cairn\.yaml/);
    expect((await get('/api/alerts/silences?origin=config')).items).toHaveLength(3);
    await expectError(
      await s.api('/api/alerts/silences/config:no-such', { method: 'DELETE', token: admin }),
      404,
      'CAIRN_SILENCE_NOT_FOUND',
    );
  });

  it('refuses a bad origin or cursor with 400', async () => {
    await expectError(await s.api('/api/alerts/silences?origin=yaml', { token: admin }), 400, 'CAIRN_INVALID_QUERY');
    await expectError(await s.api('/api/alerts/silences?cursor=nope', { token: admin }), 400, 'CAIRN_INVALID_CURSOR');
  });

  it("names the event, its source and title on a channel queue's dead letter", async () => {
    const body = JSON.stringify({ title: 'Checkout errors', severity: 'error', service: 'checkout' });
    const sent = await fetch(`${s.url}/hooks/grafana`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body,
    });
    expect(sent.status).toBe(202);
    const { eventId } = (await sent.json()) as Json;
    let dead: Json = { items: [] };
    for (let i = 0; i < 100 && dead.items.length === 0; i++) {
      await new Promise((r) => setTimeout(r, 100));
      // After its one failed attempt the message waits out its backoff on the server's clock.
      if (hits > 0) s.clock.advance(2000);
      dead = await get('/api/alerts/queues/channel:broken/dead');
    }
    expect(hits).toBeGreaterThan(0);
    expectDocumented('GET', '/api/alerts/queues/{name}/dead', 200, dead);
    expect(dead.items).toEqual([
      expect.objectContaining({
        eventId,
        eventIds: [eventId],
        eventCount: 1,
        source: 'grafana',
        title: 'Checkout errors',
        lastError: expect.stringMatching(/HTTP 500/),
        body: expect.objectContaining({ channel: 'broken', eventIds: [eventId] }),
      }),
    ]);
  });

  it('reads the event of other queues from their bodies, and the source of an ingested one', async () => {
    const letter = { id: 'm1', receiveCount: 5, sentAt: new Date(0), deadAt: new Date(1000), lastError: null };
    const none = { get: async () => null };
    expect(await deadLetterView({ ...letter, body: { eventId: 'evt_1' } }, none)).toMatchObject({
      eventId: 'evt_1',
      eventIds: ['evt_1'],
      eventCount: 1,
      source: null,
      title: null,
    });
    const ingested = { eventId: 'evt_2', source: 'github', receivedAt: '', rawBody: '{}', headers: {} };
    expect(await deadLetterView({ ...letter, body: ingested }, none)).toMatchObject({
      eventId: 'evt_2',
      source: 'github',
    });
    const storm = { id: 'g#3', channel: 'ops', eventIds: ['evt_a', 'evt_b'], count: 40 };
    expect(await deadLetterView({ ...letter, body: storm }, undefined)).toMatchObject({
      eventId: 'evt_b',
      eventIds: ['evt_a', 'evt_b'],
      eventCount: 40,
    });
    expect(await deadLetterView({ ...letter, body: 'not an object' }, none)).toMatchObject({
      eventId: null,
      eventIds: [],
      eventCount: 0,
    });
  });
});
