/**
 * An s3rver (@20minutes/s3rver@4) on a random loopback port for the S3 adapter's tests. s3rver checks
 * SigV4 signatures (header and query) and presigned URL expiry, stores objects on disk, and keeps
 * metadata and tags; it does not do SSE-KMS, checksums, conditional writes or bucket policies.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
// @ts-expect-error: s3rver ships no types
import S3rver from '@20minutes/s3rver';

export interface RunningS3rver {
  endpoint: string;
  client(): S3Client;
  /** A new, empty bucket. */
  bucket(): Promise<string>;
  close(): Promise<void>;
}

export const S3RVER_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/**
 * Two shims for s3rver's own bugs on this Node, applied in the test process only:
 * - its list continuation tokens use DES, which OpenSSL 3 no longer offers: its 'des' calls (and only
 *   those) get AES-128-CBC with the key and IV doubled — the token stays opaque and round-trips;
 * - it re-encodes query values for SigV4 with encodeURIComponent, which leaves !'()* literal where SigV4
 *   (and S3) percent-encode them, so a URL carrying `filename*=UTF-8''…` never verifies: the global is
 *   made RFC 3986 strict (it only ever encodes more, and every decoder reads both spellings).
 */
function shimForS3rver() {
  const crypto = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto');
  if ((crypto as { __s3rverShim?: boolean }).__s3rverShim) return;
  (crypto as { __s3rverShim?: boolean }).__s3rverShim = true;
  const twice = (b: Buffer) => Buffer.concat([b, b]);
  const { createCipheriv, createDecipheriv } = crypto;
  Object.assign(crypto, {
    createCipheriv: (alg: string, key: Buffer, iv: Buffer) =>
      alg === 'des' ? createCipheriv('aes-128-cbc', twice(key), twice(iv)) : createCipheriv(alg, key, iv),
    createDecipheriv: (alg: string, key: Buffer, iv: Buffer) =>
      alg === 'des' ? createDecipheriv('aes-128-cbc', twice(key), twice(iv)) : createDecipheriv(alg, key, iv),
  });
  const plain = globalThis.encodeURIComponent;
  globalThis.encodeURIComponent = (s: string | number | boolean) =>
    plain(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

export async function startS3rver(): Promise<RunningS3rver> {
  shimForS3rver();
  const directory = await mkdtemp(join(tmpdir(), 'cairn-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory });
  const { port } = (await server.run()) as { port: number };
  const endpoint = `http://127.0.0.1:${port}`;
  const client = () => {
    const c = new S3Client({
      endpoint,
      region: 'us-east-1',
      forcePathStyle: true,
      credentials: S3RVER_CREDENTIALS,
      // s3rver predates S3's default CRC checksums; real S3 accepts either setting.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
    // Bucket-level requests (CreateBucket, ListObjectsV2) are signed with a path of `/bucket/`, which
    // s3rver canonicalises as `/bucket`; real S3 accepts both. Sign what s3rver will check.
    c.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { path?: string };
        if (request.path && /^\/[^/]+\/$/.test(request.path)) request.path = request.path.slice(0, -1);
        return next(args);
      },
      { step: 'build', name: 's3rverBucketPath' },
    );
    return c;
  };
  const admin = client();
  return {
    endpoint,
    client,
    async bucket() {
      const name = `cairn-${randomBytes(6).toString('hex')}`;
      await admin.send(new CreateBucketCommand({ Bucket: name }));
      return name;
    },
    async close() {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
