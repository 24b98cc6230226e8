import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RestSource, type RestSourceOptions } from '../../src/adapters/local/backups/sources/rest.ts';
import { backoffMs, nextLink, retryAfterMs } from '../../src/adapters/local/backups/sources/rest-http.ts';
import type { PlanRequest, Row } from '../../src/ports/backups.ts';
import { readAll } from '../helpers/rows.ts';

/** 95 items; ids 1..95, updated_at one per minute except ids 40..49, which share one timestamp. */
const ITEMS = Array.from({ length: 95 }, (_, i) => {
  const id = i + 1;
  const minute = id >= 40 && id <= 49 ? 40 : id;
  return {
    id,
    name: `item ${id}`,
    price: id + 0.5,
    active: id % 3 === 0,
    updated_at: new Date(Date.UTC(2024, 0, 1, 0, minute)).toISOString(),
    extra: 'x',
  };
});
const SECRET = 's3cret-token-value';

type Handler = (req: IncomingMessage, url: URL, res: ServerResponse) => void;
let server: Server;
let base: string;
let handler: Handler;
let requests: { url: URL; auth: string | undefined }[] = [];
let dir: string;

const json = (res: ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};
const since = (url: URL) => {
  const s = url.searchParams.get('updated_since');
  return s ? ITEMS.filter((i) => i.updated_at >= s) : ITEMS; // `>=`: the client must drop the ties it has
};
const int = (url: URL, name: string, dflt: number) => Number(url.searchParams.get(name) ?? dflt);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-rest-'));
  server = createServer((req, res) => {
    const url = new URL(req.url!, base);
    requests.push({ url, auth: req.headers.authorization });
    handler(req, url, res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterEach(() => {
  requests = [];
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

const pageStyle: Handler = (_req, url, res) => {
  const [page, per] = [int(url, 'page', 1), int(url, 'per_page', 10)];
  const all = since(url);
  json(res, { data: all.slice((page - 1) * per, page * per), total: all.length });
};
const source = (o: Partial<RestSourceOptions> = {}) =>
  new RestSource({
    url: `${base}/items`,
    name: 'items',
    primaryKey: ['id'],
    pagination: { style: 'page', pageSize: 10, totalPath: '$.total' },
    itemsPath: '$.data',
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...o,
  });
const full = (chunkRows = 30): PlanRequest => ({ mode: 'full', cursor: null, chunkRows });
const ids = (rows: Row[]) => rows.map((r) => r.id);
const all95 = Array.from({ length: 95 }, (_, i) => i + 1);

describe('RestSource', () => {
  it('pages with page/per_page, in chunks of pages sized from the total', async () => {
    handler = pageStyle;
    const s = source();
    const chunks = await s.plan(full(30));
    expect(chunks.map((c) => c.label)).toEqual(['pages 1..3', 'pages 4..6', 'pages 7..9', 'pages 10..end']);
    expect(ids(await readAll(s, full(30)))).toEqual(all95);
  });

  it('infers the columns from the first page when the job declares none', async () => {
    handler = pageStyle;
    expect((await source().describe()).columns).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'text', nullable: true },
      { name: 'price', type: 'real', nullable: true },
      { name: 'active', type: 'boolean', nullable: true },
      { name: 'updated_at', type: 'timestamp', nullable: true },
      { name: 'extra', type: 'text', nullable: true },
    ]);
  });

  it('pages with offset/limit until an empty page, keeping only the declared columns', async () => {
    handler = (_req, url, res) =>
      json(res, ITEMS.slice(int(url, 'offset', 0), int(url, 'offset', 0) + int(url, 'limit', 10)));
    const s = source({
      pagination: { style: 'offset', pageSize: 25 },
      itemsPath: '$',
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'name', type: 'text', nullable: true },
        { name: 'missing', type: 'text', nullable: true },
      ],
    });
    expect((await s.plan(full())).length).toBe(1);
    const rows = await readAll(s, full());
    expect(ids(rows)).toEqual(all95);
    expect(rows[0]).toEqual({ id: 1, name: 'item 1', missing: null });
    // Each plan() probes the first page for a total (none here: one chunk walks every page).
    expect(requests.map((r) => r.url.searchParams.get('offset'))).toEqual(['0', '0', '0', '25', '50', '75', '100']);
  });

  it('follows a next-cursor token from the body', async () => {
    handler = (_req, url, res) => {
      const at = Number(url.searchParams.get('cursor') ?? 0);
      json(res, { items: ITEMS.slice(at, at + 30), meta: { next: at + 30 < ITEMS.length ? String(at + 30) : null } });
    };
    const s = source({
      pagination: { style: 'cursor', nextCursorPath: '$.meta.next', sizeParam: 'limit', pageSize: 30 },
      itemsPath: '$.items',
    });
    await s.describe(); // columns inferred from the first page
    requests = [];
    expect(ids(await readAll(s, full()))).toEqual(all95);
    expect(requests.map((r) => r.url.search)).toEqual([
      '?limit=30',
      '?limit=30&cursor=30',
      '?limit=30&cursor=60',
      '?limit=30&cursor=90',
    ]);
  });

  it('follows RFC 8288 Link headers with rel="next"', async () => {
    handler = (_req, url, res) => {
      const page = int(url, 'p', 1);
      const links = [`<${base}/items?p=1>; rel="first"`];
      if (page * 40 < ITEMS.length) links.push(`</items?p=${page + 1}>; rel="next"`);
      json(res, ITEMS.slice((page - 1) * 40, page * 40), { link: links.join(', ') });
    };
    const s = source({ pagination: { style: 'link' }, itemsPath: '$' });
    expect(ids(await readAll(s, full()))).toEqual(all95);
    expect(requests.map((r) => r.url.search)).toEqual(['', '', '?p=2', '?p=3']); // the first: describe()
  });

  it('reads incrementally: the filter parameter is sent and ties at the cursor are neither repeated nor skipped', async () => {
    handler = pageStyle;
    const s = source({ cursorParam: 'updated_since' });
    await s.describe();
    requests = [];
    const tie = ITEMS[39]!.updated_at; // ids 40..49 share it; the last run stopped at id 44
    const req: PlanRequest = {
      mode: 'incremental',
      cursor: { column: 'updated_at', after: { value: tie, key: [44] } },
      chunkRows: 20,
    };
    const rows = await readAll(s, req);
    expect(ids(rows)).toEqual(Array.from({ length: 51 }, (_, i) => i + 45));
    expect(new Set(requests.map((r) => r.url.searchParams.get('updated_since')))).toEqual(new Set([tie]));
  });

  it('sends the auth header from an environment variable or a secret file, and never shows the secret', async () => {
    handler = (req, url, res) => {
      if (req.headers.authorization !== `Bearer ${SECRET}`) {
        res.writeHead(401, { 'content-type': 'application/json' });
        return res.end('{"error":"bad token"}');
      }
      pageStyle(req, url, res);
    };
    const viaEnv = source({ auth: { valueEnv: 'ITEMS_TOKEN' }, env: { ITEMS_TOKEN: SECRET } });
    expect((await readAll(viaEnv, full())).length).toBe(95);
    expect(requests.every((r) => r.auth === `Bearer ${SECRET}`)).toBe(true);
    writeFileSync(join(dir, 'token'), `${SECRET}\n`, { mode: 0o600 });
    expect((await readAll(source({ auth: { valueFile: join(dir, 'token') } }), full())).length).toBe(95);

    const wrong = source({ auth: { valueEnv: 'ITEMS_TOKEN' }, env: { ITEMS_TOKEN: 'wrong' } });
    const err = await readAll(wrong, full()).catch((e: Error) => e);
    expect(err).toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_FAILED',
      message: expect.stringMatching(/answered 401 .*check the auth secret/),
    });
    await expect(readAll(source({ auth: { valueEnv: 'NOT_SET' }, env: {} }), full())).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
      message: expect.stringMatching(/NOT_SET/),
    });
    expect(JSON.stringify(err) + String(err)).not.toContain('wrong');
  });

  it('waits as long as a 429 Retry-After asks, then goes on', async () => {
    let refused = 0;
    handler = (req, url, res) => {
      if (url.searchParams.get('page') === '2' && refused++ === 0) {
        res.writeHead(429, { 'retry-after': '1' });
        return res.end();
      }
      pageStyle(req, url, res);
    };
    const started = Date.now();
    expect(ids(await readAll(source(), full(1000)))).toEqual(all95);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(refused).toBe(2);
  });

  it('rides out a burst of 503s with backoff, and gives up after the last attempt', async () => {
    let failures = 0;
    handler = (req, url, res) => {
      if (failures++ < 4) {
        res.writeHead(503);
        return res.end('busy');
      }
      pageStyle(req, url, res);
    };
    expect((await readAll(source(), full())).length).toBe(95);
    failures = -1000;
    await expect(readAll(source({ retry: { maxAttempts: 3, baseDelayMs: 5 } }), full())).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      kind: 'unavailable',
      message: expect.stringMatching(/answered 503 .*gave up after 3 attempts/),
    });
  });

  it('refuses to wait longer than the limit when Retry-After asks too much', async () => {
    handler = (_req, _url, res) => {
      res.writeHead(429, { 'retry-after': new Date(Date.now() + 3_600_000).toUTCString() });
      res.end();
    };
    await expect(readAll(source({ retry: { maxRetryAfterMs: 60_000 } }), full())).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      message: expect.stringMatching(/asked to retry after 3[56]\d\d s, over the limit/),
    });
  });

  it('fails cleanly when the API goes away mid-run', async () => {
    const doomed = createServer((req, res) => {
      const url = new URL(req.url!, 'http://x');
      if (url.searchParams.get('page') === '3') {
        doomed.closeAllConnections();
        doomed.close();
        return;
      }
      pageStyle(req, url, res);
    });
    await new Promise<void>((ok) => doomed.listen(0, '127.0.0.1', ok));
    const port = (doomed.address() as { port: number }).port;
    const s = source({ url: `http://127.0.0.1:${port}/items`, retry: { maxAttempts: 4, baseDelayMs: 10 } });
    const seen: Row[] = [];
    const [chunk] = await s.plan(full(1000));
    const err = await (async () => {
      for await (const batch of s.read(chunk!, full(1000))) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(seen.length).toBe(20);
    expect(err).toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      message: expect.stringMatching(
        /^REST source: GET http:\/\/127\.0\.0\.1:\d+\/items failed: .*gave up after 4 attempts/,
      ),
    });
  });
});

describe('REST helpers', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2024-05-01T12:00:00Z');
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs('Wed, 01 May 2024 12:00:30 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Wed, 01 May 2024 11:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('soon', now)).toBeUndefined();
    expect(retryAfterMs(null, now)).toBeUndefined();
  });

  it('backs off exponentially with jitter, up to the maximum', () => {
    const r = { maxAttempts: 9, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 0 };
    expect([1, 2, 3, 4, 5].map((a) => backoffMs(a, r, () => 1))).toEqual([100, 200, 400, 800, 1000]);
    expect(backoffMs(3, r, () => 0)).toBe(200);
  });

  it('finds rel="next" among several links, relative ones resolved', () => {
    const h = '<https://api.example/x?page=1>; rel="prev", <?page=3>; rel="next last"';
    expect(nextLink(h, 'https://api.example/x?page=2')).toBe('https://api.example/x?page=3');
    expect(nextLink('<https://a/b>; rel=prev', 'https://a/')).toBeUndefined();
    expect(nextLink(null, 'https://a/')).toBeUndefined();
  });
});
