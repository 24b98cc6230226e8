/**
 * `kill -9` in the middle of an upload: the real server runs as a child process, is killed while the
 * bytes of a 20 MB upload are still arriving, and is started again on the same data directory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKeyService } from '../../src/adapters/local/key-service.ts';
import { DiskObjectStore } from '../../src/adapters/local/object-store/disk-object-store.ts';
import { UrlSigner } from '../../src/adapters/local/object-store/url-signer.ts';
import { type ChildServer, cairnEnv, freePort, spawnServer } from '../helpers/child-server.ts';
import { expectError, type Json } from '../helpers/http.ts';

const ADMIN_PASSWORD = 'crash-test-admin-password';
const BIG = 20 * 1024 * 1024;
/** The local server's periodic sweep removes temp files at least this old (src/runtime/local/server.ts). */
const SERVER_TEMP_AGE_MS = 60 * 60 * 1000;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 during an upload', () => {
  let dataDir: string;
  let port: number;
  let env: NodeJS.ProcessEnv;
  let server: ChildServer | undefined;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'cairn-crash-'));
    port = await freePort();
    env = cairnEnv({ CAIRN_PORT: String(port), CAIRN_DATA_DIR: dataDir, CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD });
  });
  afterAll(async () => {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const api = async (path: string, init: { method?: string; token?: string; json?: unknown } = {}) =>
    fetch(`http://127.0.0.1:${port}${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
  const login = async () => {
    const res = await api('/api/auth/login', { method: 'POST', json: { username: 'admin', password: ADMIN_PASSWORD } });
    expect(res.status).toBe(200);
    return ((await res.json()) as Json).token as string;
  };
  const tmpFiles = () => readdirSync(join(dataDir, 'objects', '.tmp'));

  it('keeps acknowledged uploads, shows no half file, and leaves only sweepable temp bytes', async () => {
    server = await spawnServer(env, port);
    let token = await login();

    // 1. An upload acknowledged before the crash.
    const kept = randomBytes(1024 * 1024);
    const ack = (await (
      await api('/api/uploads', { method: 'POST', token, json: { name: 'kept.bin', size: kept.length } })
    ).json()) as Json;
    expect((await fetch(ack.uploadUrl, { method: 'PUT', headers: ack.headers, body: kept })).status).toBe(200);
    const done = await api(`/api/uploads/${ack.fileId}/complete`, { method: 'POST', token });
    expect(done.status).toBe(200);
    expect(((await done.json()) as Json).sha256).toBe(sha256(kept));

    // 2. A 20 MB upload, sent slowly; the server dies after a few MB.
    const half = (await (
      await api('/api/uploads', { method: 'POST', token, json: { name: 'half.bin', size: BIG } })
    ).json()) as Json;
    const put = request(half.uploadUrl, {
      method: 'PUT',
      headers: { ...half.headers, 'content-length': String(BIG) },
      agent: false,
    });
    const putFailed = new Promise<void>((resolve) => {
      put.on('error', () => resolve());
      put.on('response', (res) => {
        res.resume();
        resolve();
      });
    });
    const chunk = randomBytes(256 * 1024);
    let sent = 0;
    let tempBytes = 0;
    while (sent < BIG - chunk.length) {
      if (!put.write(chunk)) await once(put, 'drain');
      sent += chunk.length;
      const files = tmpFiles();
      tempBytes = files.reduce((n, f) => n + statSync(join(dataDir, 'objects', '.tmp', f)).size, 0);
      if (tempBytes >= 2 * 1024 * 1024) break; // bytes are on the disk: crash now
      await sleep(5);
    }
    expect(tempBytes, 'the upload reached the disk before the crash').toBeGreaterThanOrEqual(2 * 1024 * 1024);
    expect(sent).toBeLessThan(BIG);
    await server.kill9();
    await putFailed; // the client sees the connection drop
    const orphans = tmpFiles();
    expect(orphans).toHaveLength(1);

    // 3. Start again on the same data directory.
    server = await spawnServer(env, port);
    token = await login();

    await expectError(
      await api(`/api/uploads/${half.fileId}/complete`, { method: 'POST', token }),
      409,
      'CAIRN_UPLOAD_INCOMPLETE',
    );
    await expectError(
      await api(`/api/files/${half.fileId}/presign`, { method: 'POST', token }),
      409,
      'CAIRN_FILE_NOT_READY',
    );
    await expectError(
      await api('/api/shares', { method: 'POST', token, json: { fileIds: [half.fileId] } }),
      409,
      'CAIRN_FILE_NOT_READY',
    );

    // The acknowledged upload is intact.
    const presigned = (await (await api(`/api/files/${ack.fileId}/presign`, { method: 'POST', token })).json()) as Json;
    const download = await fetch(presigned.url);
    expect(download.status).toBe(200);
    expect(sha256(Buffer.from(await download.arrayBuffer()))).toBe(sha256(kept));

    // 4. Sweep, through a store opened on the same directory with the same (master-key-derived) keys.
    const keys = await LocalKeyService.open({ dataDir });
    const signer = new UrlSigner({ baseUrl: `http://127.0.0.1:${port}`, key: keys.urlSigningKey() });
    const store = await DiskObjectStore.open({ dataDir, keys, signer, namesKey: keys.objectNamesKey() });
    expect(await store.head(`files/${half.fileId}`)).toBeNull();
    // With the server's age threshold, a fresh temp file (maybe a live upload) is left alone…
    expect(await store.sweepTemp(SERVER_TEMP_AGE_MS)).toBe(0);
    expect(tmpFiles()).toEqual(orphans);
    // …and once it is older than that, the server's periodic sweep would remove it.
    const old = new Date(Date.now() - 2 * SERVER_TEMP_AGE_MS);
    utimesSync(join(dataDir, 'objects', '.tmp', orphans[0]!), old, old);
    expect(await store.sweepTemp(SERVER_TEMP_AGE_MS)).toBe(1);
    expect(tmpFiles()).toEqual([]);

    // No orphan bytes anywhere else either: the store holds exactly the acknowledged object.
    const listed = await store.list('');
    expect(listed.items.map((i) => i.key)).toEqual([`files/${ack.fileId}`]);
  });
});
