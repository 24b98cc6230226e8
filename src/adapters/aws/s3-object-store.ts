/**
 * S3ObjectStore: the ObjectStore on S3, encrypted at rest with SSE-KMS under the deployment's customer
 * managed key. The browser talks to S3 directly through SigV4 presigned URLs.
 *
 * - put(): a body that fits in one part (8 MiB by default) is hashed first and stored with one PutObject
 *   that carries its SHA-256 twice: as `x-amz-checksum-sha256` (S3 refuses the body if it does not match)
 *   and as metadata. A larger body goes up as a multipart upload (lib-storage), hashed on the way; its
 *   SHA-256 is then written as object tags (`cairn-sha256` with the `cairn-etag` it belongs to), since
 *   metadata cannot change after the upload. A body of the wrong length is cut off before S3 completes
 *   the upload, so nothing replaces the previous object.
 * - Uploads through a presigned PUT arrive without a hash: the first head() streams the object once,
 *   hashes it and tags it (see docs/aws-data-model.md for the size this suits).
 * - presign PUT: a presigned PUT, not POST. Signed headers: `content-length` (the exact size: S3
 *   answers 403 SignatureDoesNotMatch to any other length), `content-type`, `if-none-match: *` (S3 refuses
 *   the PUT once an object exists, so a still-valid upload URL cannot replace the bytes of a completed
 *   file) and the SSE-KMS headers. The client must send the returned `headers` as they are.
 * - presign GET: `response-content-disposition=attachment; filename*=…`, a safe `response-content-type`
 *   and `response-cache-control=private, no-store`. An S3 URL cannot be revoked: revocation takes effect
 *   when the URL expires, which for share downloads is at most `sharing.downloadUrlTtl` (60 s).
 * - list(): ListObjectsV2 with S3's continuation token wrapped in an opaque cursor, then a HEAD per key
 *   (ObjectInfo needs the size, type and SHA-256): meant for maintenance, like the local store's.
 */
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  GetObjectTaggingCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  PutObjectTaggingCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { systemClock, type Clock } from '../../core/clock.ts';
import { CairnError, invalid, notFound } from '../../core/errors.ts';
import type { ObjectInfo, ObjectStore, PresignRequest, PresignedUrl, PutOptions } from '../../ports/object-store.ts';
import { awsCall, sdkErrorName, translateAwsError } from './errors.ts';
import { contentDisposition, safeContentType } from '../../core/sharing/download-headers.ts';

export const MAX_PRESIGN_SECONDS = 604_800;
const MAX_KEY_BYTES = 1024;
const MAX_CONTENT_TYPE = 255;
const MAX_LIST = 1000;
const DEFAULT_PART_SIZE = 8 * 1024 * 1024;
const META_SHA = 'sha256';
const META_CREATED = 'created-at';
const TAG_SHA = 'cairn-sha256';
const TAG_ETAG = 'cairn-etag';

export interface S3ObjectStoreOptions {
  client: S3Client;
  bucket: string;
  /** SSE-KMS with this customer managed key (id or ARN). Omitted: the bucket's default encryption. */
  kmsKeyId?: string;
  clock?: Clock;
  /** Bytes per multipart part, and the largest body stored with a single PutObject (min 5 MiB on S3). */
  partSizeBytes?: number;
  /** Parts uploaded at once. */
  queueSize?: number;
}

function validateKey(key: unknown): asserts key is string {
  const bad = (why: string) => invalid('CAIRN_INVALID_KEY', `Invalid object key: ${why}.`);
  if (typeof key !== 'string' || key.length === 0) throw bad('it is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw bad(`it is longer than ${MAX_KEY_BYTES} bytes`);
  if (/\p{Cc}/u.test(key)) throw bad('it contains control characters');
  if (Buffer.from(key, 'utf8').toString('utf8') !== key) throw bad('it is not well-formed Unicode');
  if (key.split('/').some((s) => s === '..' || s === '.')) throw bad('it contains a "." or ".." segment');
}

const sizeMismatch = (expected: number, gotAtLeast: number) =>
  invalid('CAIRN_UPLOAD_SIZE_MISMATCH', `The body has ${gotAtLeast} bytes or more, but ${expected} were expected.`);

const isMissing = (e: unknown) => {
  const name = sdkErrorName(e);
  return (
    name === 'NoSuchKey' ||
    name === 'NotFound' ||
    (e as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode === 404
  );
};

export class S3ObjectStore implements ObjectStore {
  private readonly clock: Clock;
  private readonly partSize: number;

  constructor(private readonly o: S3ObjectStoreOptions) {
    this.clock = o.clock ?? systemClock;
    this.partSize = o.partSizeBytes ?? DEFAULT_PART_SIZE;
  }

  private get sse() {
    return this.o.kmsKeyId
      ? { ServerSideEncryption: 'aws:kms' as const, SSEKMSKeyId: this.o.kmsKeyId, BucketKeyEnabled: true }
      : {};
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key);
    const { expectedSize } = options;
    if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0)) {
      throw invalid('CAIRN_INVALID_SIZE', 'expectedSize must be a non-negative integer.');
    }
    const contentType = options.contentType ?? 'application/octet-stream';
    if (contentType.length > MAX_CONTENT_TYPE || /[^\u0020-\u007e]/.test(contentType)) {
      throw invalid('CAIRN_INVALID_CONTENT_TYPE', 'The content type must be printable ASCII, at most 255 characters.');
    }
    const createdAt = this.clock.now();
    const hash = createHash('sha256');
    const iterator = body[Symbol.asyncIterator]();
    // Read up to one part: a body that ends within it goes up in one PutObject with its hash.
    const head: Buffer[] = [];
    let size = 0;
    let ended = false;
    while (size <= this.partSize) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      head.push(chunk);
      size += chunk.length;
      hash.update(chunk);
      if (expectedSize !== undefined && size > expectedSize) throw sizeMismatch(expectedSize, size);
    }
    if (ended) {
      if (expectedSize !== undefined && size !== expectedSize) throw sizeMismatch(expectedSize, size);
      const digest = hash.digest();
      const sha256 = digest.toString('hex');
      await awsCall('S3 PutObject', () =>
        this.o.client.send(
          new PutObjectCommand({
            Bucket: this.o.bucket,
            Key: key,
            Body: Buffer.concat(head, size),
            ContentLength: size,
            ContentType: contentType,
            ChecksumSHA256: digest.toString('base64'),
            Metadata: { [META_SHA]: sha256, [META_CREATED]: createdAt.toISOString() },
            ...this.sse,
          }),
        ),
      );
      return { key, size, sha256, contentType, createdAt };
    }
    return this.putMultipart(key, contentType, createdAt, head, iterator, hash, size, expectedSize);
  }

  private async putMultipart(
    key: string,
    contentType: string,
    createdAt: Date,
    head: Buffer[],
    rest: AsyncIterator<Uint8Array>,
    hash: ReturnType<typeof createHash>,
    sizeSoFar: number,
    expectedSize: number | undefined,
  ): Promise<ObjectInfo> {
    let size = sizeSoFar;
    let refused: CairnError | undefined;
    const refuse = () => (refused = sizeMismatch(expectedSize!, size));
    async function* guarded(): AsyncGenerator<Buffer> {
      yield* head;
      for (;;) {
        const next = await rest.next();
        if (next.done) break;
        const chunk = Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
        size += chunk.length;
        if (expectedSize !== undefined && size > expectedSize) throw refuse();
        hash.update(chunk);
        yield chunk;
      }
      // Thrown before lib-storage sees the end of the body, so it aborts instead of completing.
      if (expectedSize !== undefined && size !== expectedSize) throw refuse();
    }
    const upload = new Upload({
      client: this.o.client,
      partSize: this.partSize,
      queueSize: this.o.queueSize ?? 4,
      leavePartsOnError: false,
      params: {
        Bucket: this.o.bucket,
        Key: key,
        Body: Readable.from(guarded(), { objectMode: false }),
        ContentType: contentType,
        Metadata: { [META_CREATED]: createdAt.toISOString() },
        ...this.sse,
      },
    });
    let etag: string | undefined;
    try {
      etag = (await upload.done()).ETag;
    } catch (err) {
      // lib-storage throws the AbortMultipartUpload error instead when the abort fails too.
      if (refused) throw refused;
      throw translateAwsError(err, 'S3 multipart upload');
    }
    const sha256 = hash.digest('hex');
    await this.tagSha(key, sha256, etag);
    return { key, size, sha256, contentType, createdAt };
  }

  async get(key: string): Promise<{ info: ObjectInfo; body: AsyncIterable<Uint8Array> }> {
    validateKey(key);
    let out;
    try {
      out = await this.o.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) throw notFound('CAIRN_OBJECT_NOT_FOUND', 'No object has this key.');
      throw translateAwsError(err, 'S3 GetObject');
    }
    const body = out.Body as (Readable & AsyncIterable<Uint8Array>) | undefined;
    try {
      const sha256 = out.Metadata?.[META_SHA] ?? (await this.shaOf(key, out.ETag));
      return { info: this.infoOf(key, out, sha256), body: body ?? Readable.from([]) };
    } catch (err) {
      body?.destroy();
      throw err;
    }
  }

  async head(key: string): Promise<ObjectInfo | null> {
    validateKey(key);
    let out;
    try {
      out = await this.o.client.send(new HeadObjectCommand({ Bucket: this.o.bucket, Key: key }));
    } catch (err) {
      if (isMissing(err)) return null;
      throw translateAwsError(err, 'S3 HeadObject');
    }
    const sha256 = out.Metadata?.[META_SHA] ?? (await this.shaOf(key, out.ETag));
    return this.infoOf(key, out, sha256);
  }

  async delete(key: string): Promise<void> {
    validateKey(key);
    await awsCall('S3 DeleteObject', () =>
      this.o.client.send(new DeleteObjectCommand({ Bucket: this.o.bucket, Key: key })),
    );
  }

  async list(
    prefix: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<{ items: ObjectInfo[]; cursor?: string }> {
    const limit = options.limit ?? MAX_LIST;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIST) {
      throw invalid('CAIRN_INVALID_LIMIT', `limit must be from 1 to ${MAX_LIST}.`);
    }
    const token = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const out = await awsCall('S3 ListObjectsV2', () =>
      this.o.client.send(
        new ListObjectsV2Command({
          Bucket: this.o.bucket,
          Prefix: prefix,
          MaxKeys: limit,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      ),
    );
    // S3 returns keys in UTF-8 binary order already; sorting the page is free and keeps emulators honest.
    const keys = (out.Contents ?? [])
      .map((c) => c.Key!)
      .filter(Boolean)
      .sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    const infos = await mapLimit(keys, 8, (k) => this.head(k));
    const items = infos.filter((i): i is ObjectInfo => i !== null);
    return out.IsTruncated && out.NextContinuationToken
      ? { items, cursor: encodeCursor(out.NextContinuationToken) }
      : { items };
  }

  async presign(request: PresignRequest): Promise<PresignedUrl> {
    validateKey(request.key);
    const seconds = request.expiresInSeconds;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_PRESIGN_SECONDS) {
      throw invalid(
        'CAIRN_INVALID_EXPIRY',
        `expiresInSeconds must be a whole number from 1 to ${MAX_PRESIGN_SECONDS} (7 days).`,
      );
    }
    const signingDate = this.clock.now();
    const expiresAt = new Date(Math.floor(signingDate.getTime() / 1000) * 1000 + seconds * 1000);
    if (request.method === 'GET') {
      const command = new GetObjectCommand({
        Bucket: this.o.bucket,
        Key: request.key,
        ResponseContentDisposition: contentDisposition(request.downloadName ?? request.key.split('/').pop() ?? ''),
        ResponseContentType: safeContentType(request.contentType),
        ResponseCacheControl: 'private, no-store',
      });
      const url = await awsCall('S3 presign GET', () =>
        getSignedUrl(this.o.client, command, { expiresIn: seconds, signingDate }),
      );
      return { url, method: 'GET', headers: {}, expiresAt };
    }
    if (request.method !== 'PUT') throw invalid('CAIRN_INVALID_METHOD', 'A presigned URL is for GET or PUT.');
    const size = request.size;
    if (size === undefined) throw invalid('CAIRN_PRESIGN_SIZE_REQUIRED', 'A presigned PUT must fix the body size.');
    if (!Number.isSafeInteger(size) || size < 0)
      throw invalid('CAIRN_INVALID_SIZE', 'size must be a non-negative integer.');
    const contentType = request.contentType ?? 'application/octet-stream';
    const command = new PutObjectCommand({
      Bucket: this.o.bucket,
      Key: request.key,
      ContentLength: size,
      ContentType: contentType,
      IfNoneMatch: '*',
      ...this.sse,
    });
    const url = await awsCall('S3 presign PUT', () =>
      getSignedUrl(this.o.client, command, {
        expiresIn: seconds,
        signingDate,
        signableHeaders: new Set(['content-length', 'content-type', 'if-none-match']),
      }),
    );
    const headers: Record<string, string> = { 'Content-Type': contentType, 'If-None-Match': '*' };
    if (this.o.kmsKeyId) {
      headers['x-amz-server-side-encryption'] = 'aws:kms';
      headers['x-amz-server-side-encryption-aws-kms-key-id'] = this.o.kmsKeyId;
      headers['x-amz-server-side-encryption-bucket-key-enabled'] = 'true';
    }
    return { url, method: 'PUT', headers, expiresAt };
  }

  private infoOf(
    key: string,
    out: { ContentLength?: number; ContentType?: string; LastModified?: Date; Metadata?: Record<string, string> },
    sha256: string,
  ): ObjectInfo {
    const created = out.Metadata?.[META_CREATED];
    const createdAt =
      created && !Number.isNaN(Date.parse(created)) ? new Date(created) : (out.LastModified ?? new Date(0));
    return {
      key,
      size: out.ContentLength ?? 0,
      sha256,
      contentType: out.ContentType ?? 'application/octet-stream',
      createdAt,
    };
  }

  /** The SHA-256 from the object's tags when they belong to this version (ETag), else computed and tagged. */
  private async shaOf(key: string, etag: string | undefined): Promise<string> {
    const tags = await awsCall('S3 GetObjectTagging', () =>
      this.o.client.send(new GetObjectTaggingCommand({ Bucket: this.o.bucket, Key: key })),
    );
    const tag = (name: string) => tags.TagSet?.find((t) => t.Key === name)?.Value;
    const tagged = tag(TAG_SHA);
    if (tagged && /^[0-9a-f]{64}$/.test(tagged) && tag(TAG_ETAG) === stripQuotes(etag)) return tagged;
    const hash = createHash('sha256');
    const out = await awsCall('S3 GetObject', () =>
      this.o.client.send(new GetObjectCommand({ Bucket: this.o.bucket, Key: key, IfMatch: etag })),
    );
    for await (const chunk of out.Body as AsyncIterable<Uint8Array>) hash.update(chunk);
    const sha256 = hash.digest('hex');
    await this.tagSha(key, sha256, etag);
    return sha256;
  }

  private async tagSha(key: string, sha256: string, etag: string | undefined): Promise<void> {
    await awsCall('S3 PutObjectTagging', () =>
      this.o.client.send(
        new PutObjectTaggingCommand({
          Bucket: this.o.bucket,
          Key: key,
          Tagging: {
            TagSet: [
              { Key: TAG_SHA, Value: sha256 },
              { Key: TAG_ETAG, Value: stripQuotes(etag) ?? '' },
            ],
          },
        }),
      ),
    );
  }
}

const stripQuotes = (etag: string | undefined) => etag?.replace(/^"|"$/g, '');

const encodeCursor = (token: string) => Buffer.from(JSON.stringify({ s3: token }), 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { s3?: unknown };
    if (typeof v.s3 === 'string' && v.s3.length > 0) return v.s3;
  } catch {
    // fall through
  }
  throw invalid('CAIRN_INVALID_CURSOR', 'The cursor is not one this store issued.');
}

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}
