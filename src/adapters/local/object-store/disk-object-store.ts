/**
 * DiskObjectStore: the local ObjectStore. Each object is one envelope-encrypted file (envelope.ts)
 * at `<dataDir>/objects/<hh>/<hmac(key)>`: file names come from a keyed hash of the object key, so
 * user-chosen names never become paths and a reader of the disk cannot test a guessed name.
 *
 * Durability: put() streams into `objects/.tmp/<random>`, fsyncs it, renames it into place and fsyncs
 * the directory, so after a crash (kill -9, power loss) an object is either wholly there or absent;
 * an interrupted upload leaves only a temp file that sweepTemp() removes.
 *
 * list() scans every object's trailer: O(objects) per page. It is meant for maintenance and tests;
 * the repositories (SQLite) are the index the application pages through.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { mkdir, open, readdir, rename, stat, unlink } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { invalid, isCairnError, notFound } from '../../../core/errors.ts';
import type { KeyService } from '../../../ports/key-service.ts';
import type { ObjectInfo, ObjectStore, PresignRequest, PresignedUrl, PutOptions } from '../../../ports/object-store.ts';
import { openEnvelope, readEnvelopeMeta, tampered, writeEnvelope } from './envelope.ts';
import type { EnvelopeMeta, SealedSink } from './envelope.ts';
import type { UrlSigner } from './url-signer.ts';

const MAX_KEY_BYTES = 1024;
const MAX_CONTENT_TYPE = 255;
const DEFAULT_LIST_LIMIT = 1000;
const TMP = '.tmp';
const WRITE_BATCH = 1 << 20;
const SYNC_EVERY = 64 << 20;

export interface DiskObjectStoreOptions {
  dataDir: string;
  keys: KeyService;
  signer: UrlSigner;
  /** Secret for hashing object keys into file names: LocalKeyService.objectNamesKey(). */
  namesKey: Uint8Array;
  clock?: Clock;
  /** Plaintext bytes per sealed frame; 1 MiB by default. Tests use small frames. */
  frameSize?: number;
}

/** Refuses keys that could be confused, smuggle control characters, or traverse once in a URL. */
export function validateKey(key: unknown): asserts key is string {
  const bad = (why: string) => invalid('CAIRN_INVALID_KEY', `Invalid object key: ${why}.`);
  if (typeof key !== 'string' || key.length === 0) throw bad('it is empty');
  if (Buffer.byteLength(key, 'utf8') > MAX_KEY_BYTES) throw bad(`it is longer than ${MAX_KEY_BYTES} bytes`);
  if (/\p{Cc}/u.test(key)) throw bad('it contains control characters');
  if (Buffer.from(key, 'utf8').toString('utf8') !== key) throw bad('it is not well-formed Unicode');
  if (key.split('/').some((s) => s === '..' || s === '.')) throw bad('it contains a "." or ".." segment');
}

const toInfo = (m: EnvelopeMeta): ObjectInfo => ({
  key: m.key,
  size: m.size,
  sha256: m.sha256,
  contentType: m.contentType,
  createdAt: new Date(m.createdAt),
});

const isMissing = (e: unknown) => (e as NodeJS.ErrnoException).code === 'ENOENT';

async function fsyncDir(dir: string): Promise<void> {
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}

/**
 * Positional writes in ~1 MiB batches, one in flight while the next is sealed. Every SYNC_EVERY bytes
 * it also starts an fdatasync in the background, so the disk writes back during the upload and the
 * fsync that put() owes before acknowledging has little left to do (it hides ~0.5 s per GiB here).
 */
export class FileSink implements SealedSink {
  private batch: Buffer[] = [];
  private bytes = 0;
  private position = 0;
  private unsynced = 0;
  private inflight: Promise<void> = Promise.resolve();
  private syncing: Promise<void> | undefined;
  private failure: unknown;

  constructor(private readonly fh: FileHandle) {}

  push(b: Buffer): void {
    if (b.length === 0) return;
    this.batch.push(b);
    this.bytes += b.length;
  }

  async flushIfFull(): Promise<void> {
    if (this.bytes >= WRITE_BATCH) await this.flush();
  }

  private async flush(): Promise<void> {
    await this.inflight;
    if (this.failure !== undefined) throw this.failure;
    const [bufs, at] = [this.batch, this.position];
    this.position += this.bytes;
    this.unsynced += this.bytes;
    this.batch = [];
    this.bytes = 0;
    const fail = (e: unknown) => {
      this.failure ??= e;
    };
    this.inflight = writeAll(this.fh, bufs, at).catch(fail);
    if (this.unsynced >= SYNC_EVERY && !this.syncing) {
      this.unsynced = 0;
      this.syncing = this.fh
        .datasync()
        .catch(fail)
        .finally(() => (this.syncing = undefined));
    }
  }

  async drain(): Promise<void> {
    await this.flush();
    await this.settle();
    if (this.failure !== undefined) throw this.failure;
  }

  /** Waits for the I/O in flight (if any) so the file can be closed, ignoring its outcome. */
  async settle(): Promise<void> {
    await this.inflight;
    await this.syncing;
  }
}

async function writeAll(fh: FileHandle, bufs: Buffer[], position: number): Promise<void> {
  let rest = bufs;
  while (rest.length > 0) {
    let { bytesWritten } = await fh.writev(rest, position);
    position += bytesWritten;
    while (rest.length > 0 && bytesWritten >= rest[0]!.length) bytesWritten -= rest.shift()!.length;
    if (bytesWritten > 0) rest = [rest[0]!.subarray(bytesWritten), ...rest.slice(1)];
  }
}

export class DiskObjectStore implements ObjectStore {
  readonly objectsDir: string;
  readonly tmpDir: string;
  private readonly clock: Clock;

  private constructor(private readonly options: DiskObjectStoreOptions) {
    this.objectsDir = join(options.dataDir, 'objects');
    this.tmpDir = join(this.objectsDir, TMP);
    this.clock = options.clock ?? systemClock;
  }

  static async open(options: DiskObjectStoreOptions): Promise<DiskObjectStore> {
    const store = new DiskObjectStore(options);
    await mkdir(store.tmpDir, { recursive: true, mode: 0o700 });
    return store;
  }

  /** Where an object's file lives (exported for tests and tools). */
  pathOf(key: string): string {
    validateKey(key);
    const name = createHmac('sha256', this.options.namesKey).update(key, 'utf8').digest('hex');
    return join(this.objectsDir, name.slice(0, 2), name);
  }

  async put(key: string, body: AsyncIterable<Uint8Array>, options: PutOptions = {}): Promise<ObjectInfo> {
    const path = this.pathOf(key);
    const { expectedSize } = options;
    if (expectedSize !== undefined && (!Number.isSafeInteger(expectedSize) || expectedSize < 0)) {
      throw invalid('CAIRN_INVALID_SIZE', 'expectedSize must be a non-negative integer.');
    }
    const contentType = options.contentType ?? 'application/octet-stream';
    if (contentType.length > MAX_CONTENT_TYPE || /[^\u0020-\u007e]/.test(contentType)) {
      throw invalid('CAIRN_INVALID_CONTENT_TYPE', 'The content type must be printable ASCII, at most 255 characters.');
    }
    const tmp = join(this.tmpDir, randomBytes(16).toString('hex'));
    const fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600);
    let meta: EnvelopeMeta;
    try {
      meta = await writeEnvelope(new FileSink(fh), body, {
        keys: this.options.keys,
        key,
        contentType,
        createdAt: this.clock.now(),
        expectedSize,
        frameSize: this.options.frameSize,
      });
      await fh.datasync();
      await fh.close();
    } catch (e) {
      await fh.close().catch(() => {});
      await unlink(tmp).catch(() => {});
      throw e;
    }
    try {
      const shard = join(path, '..');
      const created = await mkdir(shard, { recursive: true, mode: 0o700 });
      if (created !== undefined) await fsyncDir(this.objectsDir);
      await rename(tmp, path);
      await fsyncDir(shard);
    } catch (e) {
      await unlink(tmp).catch(() => {});
      throw e;
    }
    return toInfo(meta);
  }

  /** The body holds the file open (a consistent snapshot even if the key is overwritten): read it to
   *  the end or destroy it. */
  async get(key: string): Promise<{ info: ObjectInfo; body: AsyncIterable<Uint8Array> }> {
    const fh = await this.openObject(key);
    if (!fh) throw notFound('CAIRN_OBJECT_NOT_FOUND', 'No object has this key.');
    const { meta, body } = await openEnvelope(fh, this.options.keys);
    if (meta.key !== key) {
      body.destroy();
      throw tampered('The object file belongs to another key.');
    }
    return { info: toInfo(meta), body };
  }

  async head(key: string): Promise<ObjectInfo | null> {
    const fh = await this.openObject(key);
    if (!fh) return null;
    try {
      const meta = await readEnvelopeMeta(fh, this.options.keys);
      if (meta.key !== key) throw tampered('The object file belongs to another key.');
      return toInfo(meta);
    } finally {
      await fh.close();
    }
  }

  async delete(key: string): Promise<void> {
    const path = this.pathOf(key);
    try {
      await unlink(path);
    } catch (e) {
      if (isMissing(e)) return;
      throw e;
    }
    await fsyncDir(join(path, '..'));
  }

  async list(
    prefix: string,
    options: { cursor?: string; limit?: number } = {},
  ): Promise<{ items: ObjectInfo[]; cursor?: string }> {
    const limit = options.limit ?? DEFAULT_LIST_LIMIT;
    if (!Number.isInteger(limit) || limit < 1 || limit > DEFAULT_LIST_LIMIT) {
      throw invalid('CAIRN_INVALID_LIMIT', `limit must be from 1 to ${DEFAULT_LIST_LIMIT}.`);
    }
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const all: ObjectInfo[] = [];
    for (const meta of await this.scan()) {
      if (meta.key.startsWith(prefix) && (after === undefined || meta.key > after)) all.push(toInfo(meta));
    }
    all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const items = all.slice(0, limit);
    const last = items[items.length - 1];
    return all.length > limit && last ? { items, cursor: encodeCursor(last.key) } : { items };
  }

  async presign(request: PresignRequest): Promise<PresignedUrl> {
    validateKey(request.key);
    return this.options.signer.sign(request);
  }

  /** Removes temp files (interrupted uploads) last modified at least `olderThanMs` ago. */
  async sweepTemp(olderThanMs: number): Promise<number> {
    const cutoff = this.clock.now().getTime() - olderThanMs;
    let removed = 0;
    for (const name of await readdir(this.tmpDir)) {
      const path = join(this.tmpDir, name);
      try {
        if ((await stat(path)).mtimeMs <= cutoff) {
          await unlink(path);
          removed += 1;
        }
      } catch (e) {
        if (!isMissing(e)) throw e;
      }
    }
    return removed;
  }

  private async openObject(key: string): Promise<FileHandle | undefined> {
    try {
      return await open(this.pathOf(key), 'r');
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  private async scan(): Promise<EnvelopeMeta[]> {
    const out: EnvelopeMeta[] = [];
    for (const shard of await readdir(this.objectsDir)) {
      if (!/^[0-9a-f]{2}$/.test(shard)) continue;
      for (const name of await readdir(join(this.objectsDir, shard)).catch(() => [])) {
        let fh: FileHandle;
        try {
          fh = await open(join(this.objectsDir, shard, name), 'r');
        } catch (e) {
          if (isMissing(e)) continue; // deleted while we listed
          throw e;
        }
        try {
          const meta = await readEnvelopeMeta(fh, this.options.keys);
          if (this.pathOf(meta.key).endsWith(name)) out.push(meta); // else: a file moved from elsewhere
        } catch (e) {
          if (!isCairnError(e)) throw e; // a tampered file is skipped here; get() reports it
        } finally {
          await fh.close();
        }
      }
    }
    return out;
  }
}

const encodeCursor = (key: string) => Buffer.from(JSON.stringify({ after: key }), 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof v.after === 'string') return v.after;
  } catch {
    // fall through
  }
  throw invalid('CAIRN_INVALID_CURSOR', 'The cursor is not one this store issued.');
}
