/**
 * Ports of the backup capability (docs/backups.md). A job reads a legacy system through a Source and
 * writes each run to a hot target (a database another system reads during an outage) and to cold
 * storage (the ObjectStore: compressed, encrypted, checksummed chunks plus a manifest).
 */
import type { BackupRun, ChunkRecord, CommittedCursor, RunPhase } from '../core/backups/model.ts';
import type { Page, PageRequest } from './repositories.ts';

export type ColumnType = 'integer' | 'real' | 'text' | 'boolean' | 'timestamp' | 'json' | 'bytes';

export interface ColumnSpec {
  name: string;
  type: ColumnType;
  nullable: boolean;
}

export interface TableSchema {
  /** The target table name (sanitised: [A-Za-z_][A-Za-z0-9_]*). */
  name: string;
  columns: ColumnSpec[];
  /** Column names of the primary key; rows are upserted by it. */
  primaryKey: string[];
}

/** A row as plain JSON-able values: numbers, strings (timestamps as UTC ISO 8601), booleans, null, objects, base64 for bytes. */
export type Row = Record<string, unknown>;

/**
 * Where an incremental run starts: strictly after (cursor value, primary key) of the last row the
 * previous run committed, ordered by (cursor, primary key) — so rows tied on the cursor value are
 * neither duplicated nor skipped.
 */
export interface CursorPosition {
  value: unknown;
  key: unknown[];
}

/** One independently retryable unit of a run: a key range or a page, opaque to the runner. */
export interface ChunkSpec {
  index: number;
  /** Human-readable, e.g. `id 1..50000` or `page 3`. */
  label: string;
  params: Record<string, unknown>;
}

export interface PlanRequest {
  mode: 'full' | 'incremental';
  /** The cursor column (incremental), and where the last run stopped (null: from the beginning). */
  cursor: { column: string; after: CursorPosition | null } | null;
  /** Target rows per chunk (a hint; a source may choose pages instead). */
  chunkRows: number;
}

export interface RowSource {
  readonly kind: 'rows';
  describe(): Promise<TableSchema>;
  /**
   * Splits the run into chunks; for incremental runs only rows after `cursor.after`. Chunk params are
   * stored with the run and handed back after a crash, so they must be JSON. When a cursor is set, each
   * chunk should stop at the greatest (cursor, key) present at plan time: rows changed during the run
   * then wait for the next run instead of moving the committed cursor past rows not yet read.
   */
  plan(request: PlanRequest): Promise<ChunkSpec[]>;
  /**
   * Streams a chunk's rows in batches, ordered by (cursor column, primary key) when incremental, never
   * loading the chunk whole. Throws a CairnError (unavailable) when the source goes away mid-read.
   */
  read(chunk: ChunkSpec, request: PlanRequest): AsyncIterable<Row[]>;
  close(): Promise<void>;
}

/** A legacy system's own dump (e.g. `pg_dump`) or a file it produced: stored cold as is. */
export interface DumpSource {
  readonly kind: 'dump';
  open(): Promise<{ body: AsyncIterable<Uint8Array>; fileName: string }>;
  close(): Promise<void>;
}

export type BackupSource = RowSource | DumpSource;

/** Writes one run into the hot database so that it becomes visible all at once. */
export interface HotRunWriter {
  /** Chunks running in parallel call it concurrently; rows may repeat after a retried chunk: upsert. */
  write(rows: Row[]): Promise<void>;
  /** Upserts everything written into the live table in one transaction. */
  commit(): Promise<{ rows: number }>;
  abort(): Promise<void>;
}

export interface HotTarget {
  /** Creates or widens the live table from the source's columns. */
  prepare(schema: TableSchema): Promise<void>;
  /** A staging area for one run (e.g. a temp/unlogged table), resumable by runId after a crash. */
  beginRun(runId: string, schema: TableSchema): Promise<HotRunWriter>;
  /** Row count and an order-independent hash of all rows (verify, tests). */
  fingerprint(table: string): Promise<{ rows: number; sha256: string }>;
  close(): Promise<void>;
}

// ---- Cold storage, run history and the job lease (implemented in adapters/local/backups) ----

/** A stored cold object: its key, its stored (compressed) bytes and their SHA-256, and its row count. */
export interface StoredObjectRef {
  key: string;
  bytes: number;
  /** Hex SHA-256 of the bytes as stored (the gzip stream for chunks, the dump as is). */
  sha256: string;
  /** NDJSON lines in a chunk; 0 for a dump. */
  rows: number;
}

/** Streams one chunk's rows into one compressed object; nothing is kept unless finish() resolves. */
export interface ColdChunkWriter {
  write(rows: Row[]): Promise<void>;
  finish(): Promise<StoredObjectRef>;
  abort(reason?: unknown): Promise<void>;
}

/** The result of re-reading one object against what the manifest says. */
export interface ObjectCheck {
  key: string;
  ok: boolean;
  /** Why not, e.g. `sha256 differs` or `unreadable: the object trailer failed authentication`. */
  problem?: string;
}

/** Compressed NDJSON chunks, dumps and manifests over the ObjectStore port. */
export interface ColdStore {
  /** `level`: gzip level 1 (fastest) to 9 (smallest). */
  openChunk(key: string, options?: { level?: number }): ColdChunkWriter;
  putDump(key: string, body: AsyncIterable<Uint8Array>, contentType?: string): Promise<StoredObjectRef>;
  /** Rows in batches; throws CAIRN_BACKUP_CHUNK_CORRUPT (naming the key) when bytes or rows differ from `ref`. */
  readChunk(ref: StoredObjectRef): AsyncIterable<Row[]>;
  /** The dump's bytes; throws CAIRN_BACKUP_CHUNK_CORRUPT at the end when they differ from `ref`. */
  readDump(ref: StoredObjectRef): AsyncIterable<Uint8Array>;
  /** Re-reads an object: checksum of the stored bytes and (chunks) the row count. */
  check(ref: StoredObjectRef, kind: 'rows' | 'dump'): Promise<ObjectCheck>;
  putManifest(key: string, manifest: unknown): Promise<StoredObjectRef>;
  /** The parsed manifest, or null when absent. */
  getManifest(key: string): Promise<unknown>;
  /** Idempotent. */
  delete(keys: string[]): Promise<void>;
}

/** One run of a job at a time. A holder that dies stops renewing; its lease expires and another may take it. */
export interface JobLease {
  /** Null when another live holder has the job. */
  acquire(job: string, ttlMs: number): Promise<LeaseHandle | null>;
}

export interface LeaseHandle {
  readonly holder: string;
  /** False when the lease was lost (expired and taken by another holder): stop working. */
  renew(): Promise<boolean>;
  release(): Promise<void>;
}

/** Run history, chunk progress and committed cursors. Local: SQLite (fsync'd commits). */
export interface BackupRunRepository {
  /** Records a planned run with its chunks (all pending) in one transaction. */
  create(run: BackupRun, chunks: ChunkSpec[]): Promise<void>;
  get(id: string): Promise<BackupRun | null>;
  /** The job's run still marked running (its holder died, or it is running now), if any. */
  unfinished(job: string): Promise<BackupRun | null>;
  /** Newest first; every job when `job` is null. */
  list(job: string | null, page: PageRequest): Promise<Page<BackupRun>>;
  /** Succeeded runs whose cold objects are still kept, oldest first. */
  succeeded(job: string): Promise<BackupRun[]>;
  /** Failed runs and pruned runs finished before `before` (history retention). */
  stale(job: string, before: Date): Promise<BackupRun[]>;
  chunks(runId: string): Promise<ChunkRecord[]>;
  /** Durably marks a chunk done (a resumed run skips it) and adds its rows and bytes to the run. */
  chunkDone(runId: string, index: number, stored: StoredObjectRef, maxCursor: CursorPosition | null): Promise<void>;
  chunkAttemptFailed(runId: string, index: number, error: string): Promise<void>;
  setPhase(runId: string, phase: RunPhase, fields?: { hotRows?: number; manifestKey?: string }): Promise<void>;
  /** Marks the run succeeded and commits the job's cursor in the same transaction. */
  succeed(runId: string, finishedAt: Date, cursor: CommittedCursor | null): Promise<void>;
  fail(runId: string, error: string, finishedAt: Date): Promise<void>;
  cursor(job: string): Promise<CommittedCursor | null>;
  recordVerify(runId: string, ok: boolean, error: string | null, at: Date): Promise<void>;
  markPruned(runId: string, at: Date): Promise<void>;
  remove(runId: string): Promise<void>;
  lastFire(job: string, schedule: string): Promise<Date | null>;
  setLastFire(job: string, schedule: string, at: Date): Promise<void>;
}

/** A directory a restore writes into: nothing appears at the destination unless commit() resolves. */
export interface RestoreDirectory {
  /** `path` is relative and uses `/`. */
  write(path: string, body: AsyncIterable<Uint8Array>): Promise<void>;
  commit(): Promise<void>;
  abort(): Promise<void>;
}
