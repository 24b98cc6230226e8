import { createServer, type Server } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteQueues } from '../../src/adapters/local/sqlite/queue.ts';
import { IngestService, signStandardWebhook, standardWebhooksKey } from '../../src/core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../../src/core/alerts/model.ts';
import { systemClock } from '../../src/core/clock.ts';
import { mapError } from '../../src/http/error-mapper.ts';
import { hookRoutes } from '../../src/http/routes/hooks.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { Queue } from '../../src/ports/queue.ts';

const WHSEC = 'whsec_' + Buffer.from('a-secret-of-at-least-24-bytes').toString('base64');
const KEY = standardWebhooksKey(WHSEC);
const MAX = 64 * 1024;

let dir: string;
let queues: SqliteQueues;
let queue: Queue<IngestedEvent>;
let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-hooks-'));
  queues = await SqliteQueues.open({ file: join(dir, 'cairn.db') });
  queue = queues.queue<IngestedEvent>('events');
  const ingest = IngestService.create({
    sources: { grafana: { verify: { scheme: 'standard-webhooks', secret: WHSEC, tolerance: 300 } } },
    maxBodyBytes: MAX,
    queue,
    clock: systemClock,
    secrets: { env: {}, readFile: () => '' },
  });
  const app = new Hono();
  app.onError((err, c) => mapError(err, c, silentLogger));
  app.route('/hooks', hookRoutes({ ingest }));
  server = createServer(getRequestListener(app.fetch));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await queues.close();
  await rm(dir, { recursive: true, force: true });
});

let seq = 0;
function signed(body: string | Uint8Array, id = `msg_${++seq}_${Date.now()}`) {
  const ts = Math.floor(Date.now() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signStandardWebhook(KEY, id, ts, body),
  };
}

const post = (body: string | Uint8Array, headers: Record<string, string>, source = 'grafana') =>
  fetch(`${base}/hooks/${source}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : Buffer.from(body),
  });

/** Writes a raw HTTP request and as much body as the server takes, until it answers or `total` is sent. */
function rawRequest(head: string, chunk: Buffer, total: number, frame = (b: Buffer) => b) {
  return new Promise<{ response: string; written: number }>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let written = 0;
    let response = '';
    let answered = false;
    const pump = () => {
      while (!answered && written < total && !socket.destroyed) {
        written += chunk.length;
        if (!socket.write(frame(chunk))) return void socket.once('drain', pump);
      }
    };
    socket.on('connect', () => {
      socket.write(head);
      pump();
    });
    socket.setEncoding('utf8').on('data', (s: string) => {
      response += s;
      answered = true;
    });
    socket.on('error', () => {}); // the server may reset once it answered
    socket.on('close', () => resolve({ response, written }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`no answer; wrote ${written} bytes`));
    }, 10_000).unref();
  });
}

describe('POST /hooks/:source', () => {
  it('answers 202 with the event id once the event is in the queue', async () => {
    const body = JSON.stringify({ title: 'CPU high' });
    const res = await post(body, signed(body));
    expect(res.status).toBe(202);
    expect(res.headers.get('content-type')).toBe('application/json');
    const json = (await res.json()) as { eventId: string; duplicate: boolean };
    expect(json).toEqual({ eventId: expect.stringMatching(/^evt_/), duplicate: false });
    const [m] = await queue.receive(10);
    expect(m!.body).toMatchObject({ eventId: json.eventId, source: 'grafana', rawBody: body });
    await queue.ack(m!);
  });

  it('keeps the exact bytes of a body with unicode and control characters', async () => {
    // Raw tab/CR/LF as whitespace between tokens; control characters inside strings escaped, as JSON says.
    const body = '{"t":"\u00e9\u2615\ud83d\udd25",\t"c":"\\u0000\\u0007\\u001b",\r\n"ls":"\u2028\u0085"}  \n';
    const bytes = new TextEncoder().encode(body);
    const res = await post(bytes, signed(bytes));
    expect(res.status).toBe(202);
    const [m] = await queue.receive(10);
    expect(Buffer.from(new TextEncoder().encode(m!.body.rawBody)).equals(Buffer.from(bytes))).toBe(true);
    await queue.ack(m!);
  });

  it('stores one event when the same delivery arrives twice, and answers with the same event id', async () => {
    const body = '{"title":"disk"}';
    const headers = signed(body, 'msg_same');
    const [a, b] = await Promise.all([post(body, headers), post(body, headers)]);
    const [ja, jb] = (await Promise.all([a.json(), b.json()])) as { eventId: string; duplicate: boolean }[];
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(ja!.eventId).toBe(jb!.eventId);
    expect([ja!.duplicate, jb!.duplicate].sort()).toEqual([false, true]);
    const got = await queue.receive(10);
    expect(got).toHaveLength(1);
    await queue.ack(got[0]!);
  });

  it('judges a header sent twice on both values, as one joined value', async () => {
    // Node keeps only the first Content-Type; Hono joins both, which is not a JSON type.
    const body = '{"title":"twice"}';
    const lines = Object.entries(signed(body)).map(([k, v]) => `${k}: ${v}\r\n`);
    const head =
      `POST /hooks/grafana HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.join('')}` +
      `Content-Type: text/plain\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { response } = await rawRequest(head, Buffer.from(body), body.length);
    expect(response).toMatch(/^HTTP\/1\.1 415 /);
    expect((await queue.depth()).visible).toBe(0);
  });

  it('reads a body that arrives in several pieces', async () => {
    const body = `{"title":"slow","pad":"${'y'.repeat(3000)}"}`;
    const lines = Object.entries(signed(body)).map(([k, v]) => `${k}: ${v}\r\n`);
    const head = `POST /hooks/grafana HTTP/1.1\r\nHost: x\r\nConnection: close\r\n${lines.join('')}`;
    const socket = connect(port, '127.0.0.1');
    let response = '';
    socket.setEncoding('utf8').on('data', (s: string) => (response += s));
    const closed = new Promise((r) => socket.once('close', r));
    socket.write(`${head}Content-Length: ${body.length}\r\n\r\n`);
    for (let at = 0; at < body.length; at += 1000) {
      await new Promise((r) => setTimeout(r, 20));
      socket.write(body.slice(at, at + 1000));
    }
    await closed;
    expect(response).toMatch(/^HTTP\/1\.1 202 /);
    const [m] = await queue.receive(10);
    expect(m!.body.rawBody).toBe(body);
    await queue.ack(m!);
  });

  it('stores nothing when the client goes away before the whole body arrived, and goes on serving', async () => {
    const body = '{"title":"cut"}';
    const lines = Object.entries(signed(body)).map(([k, v]) => `${k}: ${v}\r\n`);
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => {});
    await new Promise((r) => socket.once('connect', r));
    socket.write(`POST /hooks/grafana HTTP/1.1\r\nHost: x\r\n${lines.join('')}Content-Length: 100\r\n\r\n`);
    socket.write(body);
    await new Promise((r) => setTimeout(r, 50));
    socket.destroy();
    await new Promise((r) => setTimeout(r, 50));
    const next = '{"title":"after"}';
    expect((await post(next, signed(next))).status).toBe(202);
    const got = await queue.receive(10);
    expect(got.map((m) => m.body.rawBody)).toEqual([next]);
    await queue.ack(got[0]!);
  });

  it('answers 404 for an unknown source without reading the body', async () => {
    const res = await post('{}', signed('{}'), 'nagios');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'CAIRN_UNKNOWN_SOURCE', message: expect.any(String) } });
  });

  it('answers 401 naming the header, 415 for another content type, 400 for malformed JSON', async () => {
    const bad = await post('{}', { ...signed('{}'), 'webhook-signature': 'v1,AAAA' });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toContain('webhook-signature');
    const stale = signed('{}');
    const old = Math.floor(Date.now() / 1000) - 3600;
    const replay = await post('{}', {
      ...stale,
      'webhook-timestamp': String(old),
      'webhook-signature': signStandardWebhook(KEY, stale['webhook-id'], old, '{}'),
    });
    expect(replay.status).toBe(401);
    expect(((await replay.json()) as { error: { code: string } }).error.code).toBe('CAIRN_WEBHOOK_TIMESTAMP');
    const form = await post('a=1', { ...signed('a=1'), 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    const broken = await post('{"a":', signed('{"a":'));
    expect(broken.status).toBe(400);
    expect(await broken.json()).toEqual({
      error: { code: 'CAIRN_INVALID_JSON', message: expect.stringContaining('not valid JSON') },
    });
    expect((await queue.depth()).visible).toBe(0);
  });

  it('accepts a body of exactly the limit and refuses one byte more with 413', async () => {
    const fit = `{"p":"${'x'.repeat(MAX - 8)}"}`;
    expect(Buffer.byteLength(fit)).toBe(MAX);
    expect((await post(fit, signed(fit))).status).toBe(202);
    const over = `{"p":"${'x'.repeat(MAX - 7)}"}`;
    const res = await post(over, signed(over));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('CAIRN_BODY_TOO_LARGE');
    for (const m of await queue.receive(10)) await queue.ack(m);
  });

  it('refuses a huge declared Content-Length with 413 before reading it, and closes the connection', async () => {
    const total = 512 * 1024 * 1024;
    const head =
      `POST /hooks/grafana HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${total}\r\n\r\n`;
    const { response, written } = await rawRequest(head, Buffer.alloc(64 * 1024, 0x20), total);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response.toLowerCase()).toContain('connection: close');
    expect(response).toContain('CAIRN_BODY_TOO_LARGE');
    expect(written).toBeLessThan(total / 4);
  });

  it('stops reading a chunked body past the limit and answers 413', async () => {
    const total = 512 * 1024 * 1024;
    const head = `POST /hooks/grafana HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`;
    const chunk = Buffer.alloc(16 * 1024, 0x20);
    const frame = (b: Buffer) => Buffer.concat([Buffer.from(`${b.length.toString(16)}\r\n`), b, Buffer.from('\r\n')]);
    const { response, written } = await rawRequest(head, chunk, total, frame);
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain('CAIRN_BODY_TOO_LARGE');
    expect(written).toBeLessThan(total / 4);
  });

  it('answers 405 to GET with a hint to POST', async () => {
    const res = await fetch(`${base}/hooks/grafana`);
    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST');
    expect(await res.json()).toEqual({
      error: { code: 'CAIRN_METHOD_NOT_ALLOWED', message: expect.stringContaining('POST') },
    });
  });
});
