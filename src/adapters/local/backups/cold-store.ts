/**
 * Cold storage over the ObjectStore port (encrypted at rest by the store): chunks as gzip NDJSON, one
 * row per line, each stored with the SHA-256 of its gzip bytes; dumps as they came; manifests as JSON.
 * Reads re-hash the stored bytes, so a flipped byte is caught even where the store itself would not.
 */
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createGunzip, createGzip, type Gunzip } from 'node:zlib';
import type { ColdChunkWriter, ColdStore, ObjectCheck, Row, StoredObjectRef } from '../../../ports/backups.ts';
import type { ObjectStore } from '../../../ports/object-store.ts';
import { chunkCorrupt, describeError, manifestInvalid } from '../../../core/backups/errors.ts';
import { isCairnError } from '../../../core/errors.ts';
import { NdjsonBatcher, countLines } from './ndjson.ts';

const NOT_FOUND = 'CAIRN_OBJECT_NOT_FOUND';

async function* single(bytes: Uint8Array) {
  yield bytes;
}

export interface ObjectColdStoreOptions {
  /** gzip level 1 (fastest) to 9 (smallest); 6 by default. */
  level?: number;
  /** Rows per batch when reading a chunk back. */
  batchRows?: number;
}

/** Hashes and counts the bytes passing through, as they are consumed. */
class Tap {
  readonly hash = createHash('sha256');
  bytes = 0;
  async *through(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    for await (const c of body) {
      this.hash.update(c);
      this.bytes += c.length;
      yield c;
    }
  }
  mismatch(ref: StoredObjectRef): string | null {
    const sha256 = this.hash.digest('hex');
    if (this.bytes !== ref.bytes) return `${this.bytes} bytes stored, the manifest says ${ref.bytes}`;
    if (sha256 !== ref.sha256) return 'its SHA-256 differs from the manifest (the stored bytes changed)';
    return null;
  }
}

/** Feeds a body into gunzip (with backpressure), ending it or destroying it with the body's error. */
function gunzipOf(body: AsyncIterable<Uint8Array>): Gunzip {
  const gunzip = createGunzip();
  gunzip.on('error', () => {}); // surfaced to the reader through the stream's iterator
  void (async () => {
    for await (const c of body) if (!gunzip.write(c)) await once(gunzip, 'drain');
    gunzip.end();
  })().catch((e: unknown) => gunzip.destroy(e instanceof Error ? e : new Error(String(e))));
  return gunzip;
}

export class ObjectColdStore implements ColdStore {
  constructor(
    private readonly store: ObjectStore,
    private readonly options: ObjectColdStoreOptions = {},
  ) {}

  openChunk(key: string, options: { level?: number } = {}): ColdChunkWriter {
    const gzip = createGzip({ level: options.level ?? this.options.level ?? 6 });
    gzip.on('error', () => {}); // surfaced by put(), which may not be reading yet when a chunk is abandoned
    const tap = new Tap();
    let rows = 0;
    let failure: unknown;
    const put = this.store.put(key, tap.through(gzip), { contentType: 'application/gzip' });
    put.catch((e: unknown) => {
      failure ??= e;
      gzip.destroy(e instanceof Error ? e : new Error(String(e)));
    });
    return {
      write: async (batch) => {
        if (failure !== undefined) throw failure;
        rows += batch.length;
        if (!gzip.write(batch.map((r) => JSON.stringify(r)).join('\n') + '\n')) await once(gzip, 'drain');
      },
      finish: async () => {
        gzip.end();
        await put;
        return { key, rows, bytes: tap.bytes, sha256: tap.hash.digest('hex') };
      },
      abort: async (reason) => {
        gzip.destroy(reason instanceof Error ? reason : new Error('the chunk was abandoned'));
        await put.catch(() => {});
      },
    };
  }

  async putDump(key: string, body: AsyncIterable<Uint8Array>, contentType?: string): Promise<StoredObjectRef> {
    const tap = new Tap();
    await this.store.put(key, tap.through(body), { contentType: contentType ?? 'application/octet-stream' });
    return { key, rows: 0, bytes: tap.bytes, sha256: tap.hash.digest('hex') };
  }

  private async open(ref: StoredObjectRef): Promise<AsyncIterable<Uint8Array>> {
    try {
      return (await this.store.get(ref.key)).body;
    } catch (e) {
      if (isCairnError(e) && e.code === NOT_FOUND) throw chunkCorrupt(ref.key, 'the object is missing');
      throw chunkCorrupt(ref.key, `unreadable: ${describeError(e)}`, e);
    }
  }

  async *readChunk(ref: StoredObjectRef): AsyncIterable<Row[]> {
    const tap = new Tap();
    const lines = new NdjsonBatcher(this.options.batchRows ?? 1000);
    try {
      const gunzip = gunzipOf(tap.through(await this.open(ref)));
      gunzip.setEncoding('utf8');
      for await (const text of gunzip as AsyncIterable<string>) {
        for (const batch of lines.push(text)) yield batch;
      }
      const last = lines.end();
      if (last.length > 0) yield last;
    } catch (e) {
      if (isCairnError(e)) throw e;
      throw chunkCorrupt(ref.key, `unreadable: ${describeError(e)}`, e);
    }
    const problem =
      tap.mismatch(ref) ?? (lines.rows !== ref.rows ? `${lines.rows} rows, the manifest says ${ref.rows}` : null);
    if (problem) throw chunkCorrupt(ref.key, problem);
  }

  async *readDump(ref: StoredObjectRef): AsyncIterable<Uint8Array> {
    const tap = new Tap();
    yield* tap.through(await this.open(ref));
    const problem = tap.mismatch(ref);
    if (problem) throw chunkCorrupt(ref.key, problem);
  }

  async check(ref: StoredObjectRef, kind: 'rows' | 'dump'): Promise<ObjectCheck> {
    const tap = new Tap();
    try {
      const body = tap.through(await this.open(ref));
      let rows = 0;
      if (kind === 'rows') {
        for await (const c of gunzipOf(body)) rows += countLines(c as Buffer);
      } else {
        for await (const _ of body);
      }
      const problem =
        tap.mismatch(ref) ??
        (kind === 'rows' && rows !== ref.rows ? `${rows} rows, the manifest says ${ref.rows}` : null);
      return problem ? { key: ref.key, ok: false, problem } : { key: ref.key, ok: true };
    } catch (e) {
      const problem =
        isCairnError(e) && typeof e.details?.problem === 'string'
          ? e.details.problem
          : `unreadable: ${describeError(e)}`;
      return { key: ref.key, ok: false, problem };
    }
  }

  async putManifest(key: string, manifest: unknown): Promise<StoredObjectRef> {
    const bytes = Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8');
    const info = await this.store.put(key, single(bytes), {
      contentType: 'application/json',
      expectedSize: bytes.length,
    });
    return { key, rows: 0, bytes: info.size, sha256: info.sha256 };
  }

  async getManifest(key: string): Promise<unknown> {
    let body: AsyncIterable<Uint8Array>;
    try {
      body = (await this.store.get(key)).body;
    } catch (e) {
      if (isCairnError(e) && e.code === NOT_FOUND) return null;
      throw manifestInvalid(key, `unreadable: ${describeError(e)}`);
    }
    const parts: Buffer[] = [];
    for await (const c of body) parts.push(Buffer.from(c));
    try {
      return JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      throw manifestInvalid(key, `not JSON: ${(e as Error).message}`);
    }
  }

  /** In the order given (prune passes the manifest first). */
  async delete(keys: string[]): Promise<void> {
    for (const key of keys) await this.store.delete(key);
  }
}
