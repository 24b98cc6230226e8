/**
 * The ObjectStore contract: every adapter (disk, S3 against s3rver, ...) runs this same suite, so the
 * core can rely on one behaviour whichever runtime it is in.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ObjectStore } from '../../src/ports/object-store.ts';

export interface ObjectStoreFixture {
  store: ObjectStore;
  cleanup(): Promise<void>;
}

async function* chunked(data: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function readAll(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(Buffer.from(c));
  return Buffer.concat(parts);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

export function describeObjectStoreContract(name: string, makeStore: () => Promise<ObjectStoreFixture>): void {
  describe(`ObjectStore contract: ${name}`, () => {
    let fixture: ObjectStoreFixture;
    let store: ObjectStore;
    beforeEach(async () => {
      fixture = await makeStore();
      store = fixture.store;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    it('gives back the bytes it was given, with their size, sha256 and content type', async () => {
      const data = randomBytes(150_000);
      const before = Date.now();
      const put = await store.put('files/one.bin', chunked(data), {
        contentType: 'image/png',
        expectedSize: data.length,
      });
      expect(put).toMatchObject({
        key: 'files/one.bin',
        size: data.length,
        sha256: sha256(data),
        contentType: 'image/png',
      });
      expect(put.createdAt).toBeInstanceOf(Date);
      expect(put.createdAt.getTime()).toBeGreaterThanOrEqual(before - 5_000);
      const { info, body } = await store.get('files/one.bin');
      expect(info).toEqual(put);
      expect((await readAll(body)).equals(data)).toBe(true);
    });

    it('stores an empty object and defaults the content type', async () => {
      const info = await store.put('empty', chunked(new Uint8Array(0)));
      expect(info).toMatchObject({
        size: 0,
        sha256: sha256(new Uint8Array(0)),
        contentType: 'application/octet-stream',
      });
      expect(await readAll((await store.get('empty')).body)).toHaveLength(0);
    });

    it('answers head with the object info, or null when the key is absent', async () => {
      const info = await store.put('h', chunked(Buffer.from('hello')), { contentType: 'text/plain' });
      expect(await store.head('h')).toEqual(info);
      expect(await store.head('absent')).toBeNull();
    });

    it('throws CAIRN_OBJECT_NOT_FOUND for a missing key', async () => {
      await expect(store.get('absent/key')).rejects.toMatchObject({
        code: 'CAIRN_OBJECT_NOT_FOUND',
        kind: 'not_found',
      });
    });

    it('replaces an object put again under the same key', async () => {
      await store.put('k', chunked(Buffer.from('first')));
      await store.put('k', chunked(Buffer.from('second!')));
      expect((await readAll((await store.get('k')).body)).toString()).toBe('second!');
    });

    it('deletes idempotently', async () => {
      await store.put('d', chunked(Buffer.from('x')));
      await store.delete('d');
      await store.delete('d');
      await store.delete('never-there');
      expect(await store.head('d')).toBeNull();
    });

    it('refuses a body of another length than expected and keeps nothing (nor loses the old object)', async () => {
      await expect(store.put('m', chunked(randomBytes(101)), { expectedSize: 100 })).rejects.toMatchObject({
        code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
      });
      await expect(store.put('m', chunked(randomBytes(99)), { expectedSize: 100 })).rejects.toMatchObject({
        code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
      });
      expect(await store.head('m')).toBeNull();
      await store.put('m', chunked(Buffer.from('kept')));
      await expect(store.put('m', chunked(randomBytes(5000)), { expectedSize: 10 })).rejects.toMatchObject({
        code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
      });
      expect((await readAll((await store.get('m')).body)).toString()).toBe('kept');
    });

    it('lists a prefix in key order, page by page, with an opaque cursor', async () => {
      const keys = ['p/05', 'p/01', 'p/03', 'p/02', 'p/04', 'q/01', 'p'];
      for (const k of keys) await store.put(k, chunked(Buffer.from(k)));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.list('p/', { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((i) => i.key));
        cursor = page.cursor;
        pages += 1;
      } while (cursor && pages < 10);
      expect(seen).toEqual(['p/01', 'p/02', 'p/03', 'p/04', 'p/05']);
      expect(pages).toBe(3);
      const all = await store.list('');
      expect(all.items.map((i) => i.key)).toEqual(['p', 'p/01', 'p/02', 'p/03', 'p/04', 'p/05', 'q/01']);
      expect(all.cursor).toBeUndefined();
      expect(all.items[1]).toMatchObject({ size: 4, sha256: sha256(Buffer.from('p/01')) });
    });

    it('presigns GET and PUT URLs that expire when asked', async () => {
      for (const req of [
        { method: 'GET' as const, key: 'files/a b.txt', expiresInSeconds: 300, downloadName: 'a b.txt' },
        { method: 'PUT' as const, key: 'files/new', expiresInSeconds: 900, size: 12, contentType: 'text/plain' },
      ]) {
        const now = Date.now();
        const p = await store.presign(req);
        expect(p.method).toBe(req.method);
        expect(() => new URL(p.url)).not.toThrow();
        expect(Math.abs(p.expiresAt.getTime() - (now + req.expiresInSeconds * 1000))).toBeLessThanOrEqual(2_000);
      }
    });
  });
}
