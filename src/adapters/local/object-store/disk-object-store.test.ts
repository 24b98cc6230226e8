import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalKeyService } from '../key-service.ts';
import { DiskObjectStore } from './disk-object-store.ts';
import { UrlSigner } from './url-signer.ts';

const FRAME = 4096;
let dataDir: string;
let masterKeyBase64: string;
let store: DiskObjectStore;

async function openStore(): Promise<DiskObjectStore> {
  const keys = await LocalKeyService.open({ dataDir, masterKeyBase64 });
  const signer = new UrlSigner({ baseUrl: 'http://localhost:8787', key: keys.urlSigningKey() });
  return DiskObjectStore.open({ dataDir, keys, signer, namesKey: keys.objectNamesKey(), frameSize: FRAME });
}

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'cairn-disk-'));
  masterKeyBase64 = randomBytes(32).toString('base64');
  store = await openStore();
});
afterEach(async () => {
  await rm(dataDir, { recursive: true, force: true });
});

async function* chunked(data: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await filesUnder(p)));
    else out.push(p);
  }
  return out;
}

/** An upload body that sends `before` bytes, then hangs until `release()`, then fails. */
function stalledBody(before: Buffer) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let reached!: () => void;
  const halfway = new Promise<void>((r) => (reached = r));
  async function* body() {
    yield before;
    reached();
    await gate;
    throw new Error('client went away');
  }
  return { body: body(), halfway, release };
}

describe('DiskObjectStore', () => {
  it.each([
    ['empty', ''],
    ['too long', 'x'.repeat(1025)],
    ['a control character', 'a\nb'],
    ['a NUL', 'a\u0000b'],
    ['a C1 control', 'a\u0085b'],
    ['a .. segment', '../etc/passwd'],
    ['a nested .. segment', 'files/../../x'],
    ['a . segment', 'a/./b'],
    ['a lone surrogate', 'a\ud800b'],
  ])('refuses a key that is %s', async (_why, key) => {
    const err = { code: 'CAIRN_INVALID_KEY', kind: 'invalid' };
    await expect(store.put(key, chunked(Buffer.from('x')))).rejects.toMatchObject(err);
    await expect(store.get(key)).rejects.toMatchObject(err);
    await expect(store.head(key)).rejects.toMatchObject(err);
    await expect(store.delete(key)).rejects.toMatchObject(err);
    await expect(store.presign({ method: 'GET', key, expiresInSeconds: 60 })).rejects.toMatchObject(err);
  });

  it('accepts 1024-byte keys and names with dots, and never uses the key as a path', async () => {
    for (const key of ['é'.repeat(512), 'a..b/..c/.d', '/leading/slash', 'files/../x'.replace('../', '..x/')]) {
      await store.put(key, chunked(Buffer.from(key)));
      const path = store.pathOf(key);
      expect(relative(store.objectsDir, path)).toMatch(/^[0-9a-f]{2}\/[0-9a-f]{64}$/);
      expect((await readAll((await store.get(key)).body)).toString()).toBe(key);
    }
  });

  it('writes neither plaintext nor key names nor content types anywhere under the data dir', async () => {
    const marker = 'DISTINCTIVE-PLAINTEXT-7f3a9c';
    await store.put('reports/secret-plan.txt', chunked(Buffer.from(`${marker}\n`.repeat(5000))), {
      contentType: 'text/x-secret',
    });
    const { body, halfway, release } = stalledBody(Buffer.from(marker.repeat(100_000)));
    const pending = store.put('reports/in-flight.txt', body);
    await halfway;
    for (const f of await filesUnder(dataDir)) {
      const raw = await readFile(f);
      for (const needle of [marker, 'secret-plan', 'in-flight', 'text/x-secret']) {
        expect(raw.includes(Buffer.from(needle)), `${needle} in ${f}`).toBe(false);
      }
    }
    release();
    await expect(pending).rejects.toThrow('client went away');
  });

  it('keeps no temp file after a refused or failed upload', async () => {
    await expect(store.put('a', chunked(randomBytes(5000)), { expectedSize: 10 })).rejects.toMatchObject({
      code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
    });
    const { body, halfway, release } = stalledBody(randomBytes(3 * FRAME));
    const pending = store.put('b', body);
    await halfway;
    release();
    await expect(pending).rejects.toThrow();
    expect(await readdir(store.tmpDir)).toEqual([]);
    expect(await store.head('a')).toBeNull();
    expect(await store.head('b')).toBeNull();
  });

  it('hides an upload in progress, and sweepTemp removes its temp file', async () => {
    const { body, halfway, release } = stalledBody(randomBytes(2 << 20));
    const pending = store.put('slow', body).catch((e: unknown) => e);
    await halfway;
    expect(await store.head('slow')).toBeNull();
    expect(await store.list('')).toEqual({ items: [] });
    expect(await store.sweepTemp(60_000)).toBe(0);
    expect(await store.sweepTemp(0)).toBe(1);
    expect(await readdir(store.tmpDir)).toEqual([]);
    release();
    await pending;
    expect(await store.head('slow')).toBeNull();
  });

  it('leaves no visible object when the process is killed mid-upload', async () => {
    const here = fileURLToPath(new URL('.', import.meta.url));
    const child = join(dataDir, 'child.mts');
    await writeFile(
      child,
      `import { LocalKeyService } from ${JSON.stringify(join(here, '../key-service.ts'))};
       import { DiskObjectStore } from ${JSON.stringify(join(here, 'disk-object-store.ts'))};
       import { UrlSigner } from ${JSON.stringify(join(here, 'url-signer.ts'))};
       const [dataDir, masterKeyBase64] = process.argv.slice(2);
       const keys = await LocalKeyService.open({ dataDir, masterKeyBase64 });
       const signer = new UrlSigner({ baseUrl: 'http://x', key: keys.urlSigningKey() });
       const store = await DiskObjectStore.open({ dataDir, keys, signer, namesKey: keys.objectNamesKey() });
       setInterval(() => {}, 1000);
       async function* body() {
         for (let i = 0; i < 4; i++) yield Buffer.from('KILLED-MARKER-'.repeat(75_000));
         process.stdout.write('halfway\\n');
         await new Promise(() => {});
       }
       await store.put('victim', body(), { expectedSize: 8 << 20 });`,
    );
    const proc = spawn(process.execPath, ['--import', 'tsx', child, dataDir, masterKeyBase64], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      proc.stdout.on('data', (d: Buffer) => d.toString().includes('halfway') && resolve());
      proc.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const exited = new Promise((r) => proc.on('exit', r));
    proc.kill('SIGKILL');
    await exited;

    const after = await openStore();
    expect(await after.head('victim')).toBeNull();
    const temps = await readdir(after.tmpDir);
    expect(temps).toHaveLength(1);
    expect((await stat(join(after.tmpDir, temps[0]!))).size).toBeGreaterThan(1 << 20);
    expect((await readFile(join(after.tmpDir, temps[0]!))).includes(Buffer.from('KILLED-MARKER'))).toBe(false);
    expect(await after.sweepTemp(0)).toBe(1);
    expect(await readdir(after.tmpDir)).toEqual([]);
  });

  it('detects a flipped byte: get() fails up front for the trailer, the body fails for a frame', async () => {
    const data = randomBytes(5 * FRAME);
    await store.put('t', chunked(data));
    const path = store.pathOf('t');
    const original = await readFile(path);
    const flip = async (at: number) => {
      const b = Buffer.from(original);
      b[at]! ^= 0x80;
      await writeFile(path, b);
    };
    await flip(original.length - 10);
    await expect(store.get('t')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
    await expect(store.head('t')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
    await flip(Math.floor(original.length / 2));
    const { body } = await store.get('t');
    await expect(readAll(body)).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
  });

  it('detects a truncated object file', async () => {
    await store.put('t', chunked(randomBytes(5 * FRAME)));
    const path = store.pathOf('t');
    await truncate(path, (await stat(path)).size - (FRAME + 16));
    await expect(store.get('t')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
  });

  it('detects an object file copied over another key', async () => {
    await store.put('mine', chunked(Buffer.from('mine')));
    await store.put('theirs', chunked(Buffer.from('theirs')));
    await copyFile(store.pathOf('theirs'), store.pathOf('mine'));
    await expect(store.get('mine')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
    expect((await store.list('')).items.map((i) => i.key)).toEqual(['theirs']);
  });

  it('cannot read objects under another master key', async () => {
    await store.put('k', chunked(Buffer.from('hello')));
    const keys = await LocalKeyService.open({ dataDir, masterKeyBase64: randomBytes(32).toString('base64') });
    const other = await DiskObjectStore.open({
      dataDir,
      keys,
      signer: new UrlSigner({ baseUrl: 'http://x', key: keys.urlSigningKey() }),
      namesKey: (await LocalKeyService.open({ dataDir, masterKeyBase64 })).objectNamesKey(),
    });
    await expect(other.get('k')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
  });

  it('refuses a cursor it did not issue and limits outside 1..1000', async () => {
    await expect(store.list('', { cursor: 'nonsense' })).rejects.toMatchObject({ code: 'CAIRN_INVALID_CURSOR' });
    await expect(store.list('', { limit: 0 })).rejects.toMatchObject({ code: 'CAIRN_INVALID_LIMIT' });
  });

  it('creates object files only readable by their owner', async () => {
    await store.put('k', chunked(Buffer.from('hello')));
    expect((await stat(store.pathOf('k'))).mode & 0o077).toBe(0);
  });
});
