import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { LocalKeyService } from '../key-service.ts';
import { DiskObjectStore } from './disk-object-store.ts';
import { contentDisposition, safeContentType } from '../../../core/sharing/download-headers.ts';
import { createObjectRequestHandler } from './object-handler.ts';
import { UrlSigner } from './url-signer.ts';

const FRAME = 64 * 1024;
let dataDir: string;
let clock: ManualClock;
let store: DiskObjectStore;
let server: Server;
let base: string;
let revoked: Set<string>;

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-handler-'));
  clock = new ManualClock(new Date());
  revoked = new Set();
  const keys = await LocalKeyService.open({ dataDir });
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const signer = new UrlSigner({ baseUrl: base, key: keys.urlSigningKey(), clock });
  store = await DiskObjectStore.open({
    dataDir,
    keys,
    signer,
    namesKey: keys.objectNamesKey(),
    clock,
    frameSize: FRAME,
  });
  const handler = createObjectRequestHandler({ store, signer, clock, scopeCheck: async (s) => !revoked.has(s) });
  server.on('request', (req, res) => void handler(req, res));
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await rm(dataDir, { recursive: true, force: true });
});

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  aborted: boolean;
}

/** A raw HTTP request, so that targets go on the wire exactly as written. */
function send(
  method: string,
  target: string,
  options: { headers?: Record<string, string | number>; body?: Buffer; abortAfter?: number } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(base);
    const req = request({ hostname, port, path: target, method, headers: options.headers, agent: false }, (res) => {
      const parts: Buffer[] = [];
      let aborted = false;
      res.on('data', (c: Buffer) => parts.push(c));
      res.on('aborted', () => (aborted = true));
      res.on('error', () => (aborted = true));
      res.on('close', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(parts),
          aborted: aborted || !res.complete,
        }),
      );
    });
    if (options.abortAfter !== undefined && options.body) {
      req.write(options.body.subarray(0, options.abortAfter), () => setTimeout(() => req.destroy(), 50));
      req.on('error', () => {});
      req.on('close', () => resolve({ status: 0, headers: {}, body: Buffer.alloc(0), aborted: true }));
      return;
    }
    req.on('error', reject);
    req.end(options.body);
  });
}

const path = (url: string) => url.slice(base.length);
const errorCode = (r: Reply) => (JSON.parse(r.body.toString()) as { error: { code: string } }).error.code;

async function* once(b: Buffer) {
  yield b;
}

async function eventually(check: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100 && !(await check()); i++) await new Promise((r) => setTimeout(r, 20));
  expect(await check()).toBe(true);
}

async function allFileBytes(dir: string): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for (const e of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) out.push(await readFile(join(e.parentPath, e.name)));
  }
  return out;
}

describe('object request handler', () => {
  it('uploads through a presigned PUT and downloads through a presigned GET', async () => {
    const data = randomBytes(3 * FRAME + 5);
    const put = await store.presign({
      method: 'PUT',
      key: 'files/f1',
      expiresInSeconds: 600,
      size: data.length,
      contentType: 'image/png',
    });
    const up = await send('PUT', path(put.url), {
      headers: { ...put.headers, 'Content-Length': data.length },
      body: data,
    });
    expect(up.status).toBe(200);
    const info = JSON.parse(up.body.toString()) as { key: string; size: number; sha256: string };
    expect(info).toMatchObject({ key: 'files/f1', size: data.length });
    expect(up.headers.etag).toBe(`"${info.sha256}"`);

    const get = await store.presign({
      method: 'GET',
      key: 'files/f1',
      expiresInSeconds: 60,
      downloadName: 'Ünïcode "name"\r\n.png',
    });
    const down = await send('GET', path(get.url));
    expect(down.status).toBe(200);
    expect(down.body.equals(data)).toBe(true);
    expect(down.headers).toMatchObject({
      'content-type': 'image/png',
      'content-length': String(data.length),
      'content-disposition': `attachment; filename="_n_code name.png"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20name.png`,
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'none'; sandbox",
      'cache-control': 'private, no-store',
      etag: `"${info.sha256}"`,
    });

    const head = await send('HEAD', path(get.url));
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(String(data.length));
    expect(head.body).toHaveLength(0);
  });

  it('never serves HTML or SVG as such', async () => {
    expect(safeContentType('text/html; charset=utf-8')).toBe('application/octet-stream');
    expect(safeContentType('image/svg+xml')).toBe('application/octet-stream');
    expect(safeContentType('IMAGE/PNG')).toBe('image/png');
    await store.put('page', once(Buffer.from('<script>alert(1)</script>')), { contentType: 'text/html' });
    const r = await send('GET', path((await store.presign({ method: 'GET', key: 'page', expiresInSeconds: 60 })).url));
    expect(r.headers['content-type']).toBe('application/octet-stream');
    expect(r.headers['content-disposition']).toBe(`attachment; filename="page"; filename*=UTF-8''page`);
    expect(contentDisposition('..')).toContain('filename="download"');
    expect(contentDisposition('a/b\\c\u202egpj.exe')).toBe(
      `attachment; filename="a_bcgpj.exe"; filename*=UTF-8''a_bcgpj.exe`,
    );
  });

  it('answers 403 to a URL with any single character changed', async () => {
    await store.put('files/x', once(Buffer.from('secret bytes')));
    const url = (
      await store.presign({
        method: 'GET',
        key: 'files/x',
        expiresInSeconds: 60,
        downloadName: 'x.txt',
        scope: 'share:1',
      })
    ).url;
    const target = path(url);
    const statuses = new Map<number, number[]>();
    for (let i = 0; i < target.length; i++) {
      const c = target[i] === 'a' ? 'b' : 'a';
      const r = await send('GET', target.slice(0, i) + c + target.slice(i + 1));
      expect(r.body.includes(Buffer.from('secret'))).toBe(false);
      statuses.set(r.status, [...(statuses.get(r.status) ?? []), i]);
    }
    // Position 0 turns "/o/..." into "ao/...", which Node's HTTP parser rejects (400) before any handler.
    expect(Object.fromEntries(statuses)).toEqual({
      400: [0],
      403: Array.from({ length: target.length - 1 }, (_, i) => i + 1),
    });
    expect((await send('GET', target)).status).toBe(200);
  });

  it('refuses expired URLs, the wrong method, revoked scopes and missing objects', async () => {
    await store.put('k', once(Buffer.from('x')));
    const get = path((await store.presign({ method: 'GET', key: 'k', expiresInSeconds: 60, scope: 'share:9' })).url);
    expect((await send('GET', get)).status).toBe(200);
    const wrong = await send('PUT', get, { headers: { 'Content-Length': 1 }, body: Buffer.from('y') });
    expect([wrong.status, errorCode(wrong)]).toEqual([405, 'CAIRN_METHOD_NOT_ALLOWED']);
    expect(wrong.headers.allow).toBe('GET, HEAD');
    revoked.add('share:9');
    const gone = await send('GET', get);
    expect([gone.status, errorCode(gone)]).toEqual([403, 'CAIRN_GRANT_REVOKED']);
    revoked.clear();
    clock.advance(60_000);
    const expired = await send('GET', get);
    expect([expired.status, errorCode(expired)]).toEqual([403, 'CAIRN_URL_EXPIRED']);
    const missing = await send(
      'GET',
      path((await store.presign({ method: 'GET', key: 'nope', expiresInSeconds: 60 })).url),
    );
    expect([missing.status, errorCode(missing)]).toEqual([404, 'CAIRN_OBJECT_NOT_FOUND']);
  });

  it('refuses scoped URLs when no scope check is wired', async () => {
    const keys = await LocalKeyService.open({ dataDir });
    const signer = new UrlSigner({ baseUrl: base, key: keys.urlSigningKey(), clock });
    const handler = createObjectRequestHandler({ store, signer, clock });
    server.removeAllListeners('request');
    server.on('request', (req, res) => void handler(req, res));
    await store.put('k', once(Buffer.from('x')));
    const r = await send(
      'GET',
      path((await store.presign({ method: 'GET', key: 'k', expiresInSeconds: 60, scope: 's' })).url),
    );
    expect([r.status, errorCode(r)]).toEqual([403, 'CAIRN_GRANT_REVOKED']);
  });

  it('refuses a PUT whose length is not the signed size, and keeps nothing', async () => {
    const url = path((await store.presign({ method: 'PUT', key: 'up', expiresInSeconds: 60, size: 100 })).url);
    const bigger = await send('PUT', url, { headers: { 'Content-Length': 101 }, body: randomBytes(101) });
    expect([bigger.status, errorCode(bigger)]).toEqual([413, 'CAIRN_UPLOAD_TOO_LARGE']);
    const smaller = await send('PUT', url, { headers: { 'Content-Length': 99 }, body: randomBytes(99) });
    expect([smaller.status, errorCode(smaller)]).toEqual([400, 'CAIRN_UPLOAD_SIZE_MISMATCH']);
    const chunked = await send('PUT', url, { headers: { 'Transfer-Encoding': 'chunked' }, body: randomBytes(100) });
    expect([chunked.status, errorCode(chunked)]).toEqual([411, 'CAIRN_LENGTH_REQUIRED']);
    const typed = path(
      (await store.presign({ method: 'PUT', key: 'up', expiresInSeconds: 60, size: 1, contentType: 'image/png' })).url,
    );
    const wrongType = await send('PUT', typed, {
      headers: { 'Content-Length': 1, 'Content-Type': 'text/html' },
      body: Buffer.from('x'),
    });
    expect([wrongType.status, errorCode(wrongType)]).toEqual([400, 'CAIRN_CONTENT_TYPE_MISMATCH']);
    expect(await store.head('up')).toBeNull();
    expect(await readdir(store.tmpDir)).toEqual([]);
  });

  it('keeps no object and no temp file when the client disconnects mid-upload', async () => {
    const data = randomBytes(4 * FRAME);
    const url = path(
      (await store.presign({ method: 'PUT', key: 'half', expiresInSeconds: 60, size: data.length })).url,
    );
    const r = await send('PUT', url, {
      headers: { 'Content-Length': data.length },
      body: data,
      abortAfter: data.length / 2,
    });
    expect(r.aborted).toBe(true);
    await eventually(async () => (await readdir(store.tmpDir)).length === 0);
    expect(await store.head('half')).toBeNull();
    const still = await send(
      'GET',
      path((await store.presign({ method: 'GET', key: 'half', expiresInSeconds: 60 })).url),
    );
    expect(still.status).toBe(404);
  });

  it('writes no plaintext of an upload anywhere under the data dir', async () => {
    const marker = Buffer.from('UPLOADED-MARKER-b41d7e '.repeat(10_000));
    const url = (
      await store.presign({
        method: 'PUT',
        key: 'reports/q3-marker.txt',
        expiresInSeconds: 60,
        size: marker.length,
        contentType: 'text/plain',
      })
    ).url;
    const r = await send('PUT', path(url), {
      headers: { 'Content-Length': marker.length, 'Content-Type': 'text/plain' },
      body: marker,
    });
    expect(r.status).toBe(200);
    for (const bytes of await allFileBytes(dataDir)) {
      expect(bytes.includes(Buffer.from('UPLOADED-MARKER'))).toBe(false);
      expect(bytes.includes(Buffer.from('q3-marker'))).toBe(false);
    }
  });

  it('aborts a download whose stored ciphertext was altered, and answers 500 when that shows up front', async () => {
    const data = randomBytes(6 * FRAME);
    await store.put('t', once(data));
    const file = store.pathOf('t');
    const original = await readFile(file);
    const url = path((await store.presign({ method: 'GET', key: 't', expiresInSeconds: 60 })).url);

    const mid = Buffer.from(original);
    mid[Math.floor(original.length * 0.7)]! ^= 1;
    await writeFile(file, mid);
    const r = await send('GET', url);
    expect(r.status).toBe(200);
    expect(r.aborted).toBe(true);
    expect(r.body.length).toBeLessThan(data.length);
    expect(data.subarray(0, r.body.length).equals(r.body)).toBe(true);

    await writeFile(file, original.subarray(0, original.length - 1000));
    const truncated = await send('GET', url);
    expect([truncated.status, errorCode(truncated)]).toEqual([500, 'CAIRN_OBJECT_TAMPERED']);
  });

  it('serves many concurrent downloads intact', async () => {
    const data = randomBytes(20 * FRAME + 3);
    await store.put('shared', once(data));
    const url = path((await store.presign({ method: 'GET', key: 'shared', expiresInSeconds: 60 })).url);
    const replies = await Promise.all(Array.from({ length: 40 }, () => send('GET', url)));
    for (const r of replies) {
      expect(r.status).toBe(200);
      expect(r.aborted).toBe(false);
      expect(r.body.equals(data)).toBe(true);
    }
  });

  it('closes the object file when a client abandons a download', async () => {
    const openFds = async () => (await readdir('/proc/self/fd')).length;
    await store.put('big', once(randomBytes(64 * FRAME)));
    const url = path((await store.presign({ method: 'GET', key: 'big', expiresInSeconds: 60 })).url);
    const before = await openFds();
    await new Promise<void>((resolve) => {
      const { hostname, port } = new URL(base);
      const req = request({ hostname, port, path: url, agent: false }, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.on('error', () => {});
      req.end();
    });
    await eventually(async () => (await openFds()) <= before);
  });

  it('refuses traversal in keys, whether presigned or typed in', async () => {
    await expect(store.presign({ method: 'GET', key: '../master.key', expiresInSeconds: 60 })).rejects.toMatchObject({
      code: 'CAIRN_INVALID_KEY',
    });
    for (const t of [
      '/o/../master.key',
      '/o/%2e%2e/master.key?X-Cairn-Method=GET',
      '/o/..%2Fmaster.key?X-Cairn-Method=GET&X-Cairn-Expires=9999999999&X-Cairn-Signature=00',
    ]) {
      const r = await send('GET', t);
      expect(r.status, t).toBe(403);
      expect(r.body.includes(Buffer.from('master'))).toBe(false);
    }
  });
});
