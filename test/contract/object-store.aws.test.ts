/**
 * The ObjectStore contract against S3ObjectStore on s3rver (an S3 emulator that verifies SigV4), plus
 * what only the S3 adapter does: presigned URLs that s3rver refuses once tampered with or expired, the
 * exact Content-Length a presigned PUT is bound to, and multipart uploads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { S3ObjectStore } from '../../src/adapters/aws/s3-object-store.ts';
import { startS3rver, type RunningS3rver } from '../aws/helpers/s3rver.ts';
import { describeObjectStoreContract } from './object-store.contract.ts';

let s3: RunningS3rver | undefined;
const emulator = async () => (s3 ??= await startS3rver());
afterAll(async () => {
  await s3?.close();
});

describeObjectStoreContract('S3ObjectStore on s3rver', async () => {
  const server = await emulator();
  const store = new S3ObjectStore({ client: server.client(), bucket: await server.bucket() });
  return { store, cleanup: async () => {} };
});

async function* chunks(data: Uint8Array, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('S3ObjectStore on s3rver: presigned URLs and large bodies', () => {
  let server: RunningS3rver;
  let bucket: string;
  let store: S3ObjectStore;
  beforeAll(async () => {
    server = await emulator();
    bucket = await server.bucket();
    store = new S3ObjectStore({ client: server.client(), bucket, partSizeBytes: 5 * 1024 * 1024 });
  });

  const putUrl = (key: string, size: number, s = store) =>
    s.presign({ method: 'PUT', key, expiresInSeconds: 300, size, contentType: 'text/plain' });

  it('accepts an upload through a presigned PUT and hashes it on the first head', async () => {
    const body = Buffer.from('hello, presigned world');
    const url = await putUrl('up/ok.txt', body.length);
    expect(url.headers).toMatchObject({ 'Content-Type': 'text/plain', 'If-None-Match': '*' });
    const res = await fetch(url.url, { method: 'PUT', headers: url.headers, body });
    expect(res.status).toBe(200);
    expect(await store.head('up/ok.txt')).toMatchObject({
      size: body.length,
      sha256: sha256(body),
      contentType: 'text/plain',
    });
  });

  it('refuses a presigned PUT whose body is longer or shorter than the signed Content-Length', async () => {
    const url = await putUrl('up/size.txt', 10);
    for (const body of [Buffer.alloc(11, 1), Buffer.alloc(9, 1)]) {
      const res = await fetch(url.url, { method: 'PUT', headers: url.headers, body });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('SignatureDoesNotMatch');
    }
    expect(await store.head('up/size.txt')).toBeNull();
  });

  it('refuses a presigned PUT sent with another content type than the one signed', async () => {
    const url = await putUrl('up/type.txt', 3);
    const res = await fetch(url.url, {
      method: 'PUT',
      headers: { ...url.headers, 'Content-Type': 'text/html' },
      body: 'abc',
    });
    expect(res.status).toBe(403);
  });

  it('refuses a tampered presigned URL: another key, another expiry or another signature', async () => {
    await store.put('dl/secret.txt', chunks(Buffer.from('top secret')), { contentType: 'text/plain' });
    await store.put('dl/other.txt', chunks(Buffer.from('other')), { contentType: 'text/plain' });
    const { url } = await store.presign({
      method: 'GET',
      key: 'dl/secret.txt',
      expiresInSeconds: 60,
      downloadName: 'secret.txt',
    });
    expect((await fetch(url)).status).toBe(200);
    const tampered = [
      url.replace('/dl/secret.txt', '/dl/other.txt'),
      url.replace(/X-Amz-Expires=\d+/, 'X-Amz-Expires=604800'),
      url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`),
      url.replace(/response-content-disposition=[^&]+/, 'response-content-disposition=inline'),
    ];
    for (const t of tampered) {
      expect(t).not.toBe(url);
      const res = await fetch(t);
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('SignatureDoesNotMatch');
    }
  });

  it('refuses a presigned URL once it has expired', async () => {
    await store.put('dl/old.txt', chunks(Buffer.from('old')));
    const clock = new ManualClock(new Date(Date.now() - 3600_000));
    const past = new S3ObjectStore({ client: server.client(), bucket, clock });
    const get = await past.presign({ method: 'GET', key: 'dl/old.txt', expiresInSeconds: 60 });
    const getRes = await fetch(get.url);
    expect(getRes.status).toBe(403);
    expect(await getRes.text()).toContain('Request has expired');
    const put = await putUrl('up/late.txt', 3, past);
    const putRes = await fetch(put.url, { method: 'PUT', headers: put.headers, body: 'abc' });
    expect(putRes.status).toBe(403);
    expect(await putRes.text()).toContain('Request has expired');
  });

  it('makes a presigned GET download as an attachment under its UTF-8 name, with an inert content type', async () => {
    await store.put('dl/page.html', chunks(Buffer.from('<script>alert(1)</script>')), { contentType: 'text/html' });
    const { url } = await store.presign({
      method: 'GET',
      key: 'dl/page.html',
      expiresInSeconds: 60,
      downloadName: 'Résumé "final".html',
      contentType: 'text/html',
    });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="R_sum_ final.html"; filename*=UTF-8''R%C3%A9sum%C3%A9%20final.html`,
    );
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('cache-control')).toBe('private, no-store');
  });

  it('stores a body larger than one part as a multipart upload, with its SHA-256', async () => {
    const data = randomBytes(12 * 1024 * 1024 + 123);
    const info = await store.put('big/one.bin', chunks(data, 1024 * 1024), { expectedSize: data.length });
    expect(info).toMatchObject({ size: data.length, sha256: sha256(data) });
    expect(await store.head('big/one.bin')).toEqual(info);
    const parts: Buffer[] = [];
    for await (const c of (await store.get('big/one.bin')).body) parts.push(Buffer.from(c));
    expect(sha256(Buffer.concat(parts))).toBe(sha256(data));
  });

  it('aborts a multipart upload whose body turns out shorter than expected, keeping the old object', async () => {
    await store.put('big/kept.bin', chunks(Buffer.from('kept')));
    const data = randomBytes(11 * 1024 * 1024);
    await expect(
      store.put('big/kept.bin', chunks(data, 1024 * 1024), { expectedSize: data.length + 1 }),
    ).rejects.toMatchObject({ code: 'CAIRN_UPLOAD_SIZE_MISMATCH' });
    await expect(
      store.put('big/kept.bin', chunks(data, 1024 * 1024), { expectedSize: data.length - 1 }),
    ).rejects.toMatchObject({ code: 'CAIRN_UPLOAD_SIZE_MISMATCH' });
    const parts: Buffer[] = [];
    for await (const c of (await store.get('big/kept.bin')).body) parts.push(Buffer.from(c));
    expect(Buffer.concat(parts).toString()).toBe('kept');
  });

  it('refuses a cursor it did not issue', async () => {
    await expect(store.list('', { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'CAIRN_INVALID_CURSOR' });
  });
});
