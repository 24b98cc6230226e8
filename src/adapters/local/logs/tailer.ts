/**
 * Follows the log files named by each group's globs, like the CloudWatch agent: every poll it expands
 * the globs, notices new files, rotation by rename (the old inode is read to its end, the new file from
 * its start) and by truncation (copytruncate: the size went below the read position, or the first bytes
 * changed), and reads what was appended. Files are known by device and inode; their offsets are committed
 * by the agent together with the metrics their lines produced (see metric-store.ts).
 */
import { createHash } from 'node:crypto';
import { type FileHandle, open, stat } from 'node:fs/promises';
import type { Clock } from '../../../core/clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import { expandGlob, hasGlob } from './glob.ts';
import { LineSplitter } from './line-splitter.ts';
import type { FileOffset } from './metric-store.ts';

const HEAD_BYTES = 256;
/** A file renamed away (or deleted) is read to its end, then closed once it stayed unchanged this long. */
const GONE_GRACE_MS = 5_000;

export interface TailGroup {
  logGroup: string;
  files: readonly string[];
  initialPosition: 'start_of_file' | 'end_of_file';
}

export interface TailerOptions {
  groups: readonly TailGroup[];
  clock: Clock;
  logger: Logger;
  maxLineBytes: number;
  chunkBytes?: number;
  /** The committed offset of a file, if the agent has one. */
  loadOffset(fileKey: string): FileOffset | undefined;
  /** Whether a file was ever read at this path (a new file there is then a rotation: read from its start). */
  knowsPath(path: string): boolean;
  /**
   * Complete lines of one file (in parts, each ending in '\n') read at `readAt`, and the offset to commit
   * with them. Called synchronously; the buffers are only valid during the call.
   */
  onLines(logGroup: string, parts: readonly Buffer[], readAt: number, offset: FileOffset, truncated: number): void;
  /** A file problem (missing, unreadable, truncated) for the agent's counters. */
  onProblem?(kind: 'unreadable' | 'missing' | 'truncated' | 'rotated', path: string, detail: string): void;
  cwd?: string;
}

interface Tracked {
  key: string;
  path: string;
  logGroup: string;
  handle: FileHandle;
  /** Next byte to read. */
  pos: number;
  splitter: LineSplitter;
  headLen: number;
  headHash: string;
  goneSince: number | null;
  lastSize: number;
}

export interface FileStatus {
  path: string;
  logGroup: string;
  offset: number;
  size: number;
}

export class FileTailer {
  private readonly tracked = new Map<string, Tracked>();
  private readonly problems = new Map<string, string>();
  private readonly buf: Buffer;
  private firstPoll = true;
  private polling: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly o: TailerOptions) {
    this.buf = Buffer.allocUnsafe(o.chunkBytes ?? 1 << 20);
  }

  /** One pass: discover files, handle rotation and truncation, read everything appended. */
  poll(): Promise<void> {
    this.polling ??= this.pass().finally(() => (this.polling = null));
    return this.polling;
  }

  status(): { files: FileStatus[]; problems: Record<string, string> } {
    return {
      files: [...this.tracked.values()].map((t) => ({
        path: t.path,
        logGroup: t.logGroup,
        offset: t.pos - t.splitter.pending,
        size: t.lastSize,
      })),
      problems: Object.fromEntries(this.problems),
    };
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.polling?.catch(() => {});
    for (const t of this.tracked.values()) await t.handle.close().catch(() => {});
    this.tracked.clear();
  }

  private async pass(): Promise<void> {
    const seen = new Set<string>();
    for (const g of this.o.groups) {
      for (const pattern of g.files) {
        const paths = await expandGlob(pattern, this.o.cwd);
        if (paths.length === 0 && !hasGlob(pattern))
          this.problem(pattern, 'missing', 'ENOENT: the file does not exist');
        for (const path of paths) {
          if (this.closed) return;
          const key = await this.attach(path, g);
          if (key) seen.add(key);
        }
      }
    }
    this.firstPoll = false;
    for (const t of [...this.tracked.values()]) {
      if (this.closed) return;
      if (!seen.has(t.key)) {
        if (t.goneSince === null)
          this.o.onProblem?.('rotated', t.path, 'no longer matched (renamed or deleted): reading it to its end');
        t.goneSince ??= this.o.clock.now().getTime();
      } else t.goneSince = null;
      await this.read(t);
    }
  }

  /** Starts following a file (if new); returns its key, or undefined when it cannot be opened. */
  private async attach(path: string, g: TailGroup): Promise<string | undefined> {
    let key: string;
    try {
      const s = await stat(path, { bigint: true });
      key = `${s.dev}:${s.ino}`;
    } catch (e) {
      this.problem(path, 'unreadable', errText(e));
      return undefined;
    }
    const known = this.tracked.get(key);
    if (known) {
      if (known.path !== path) this.o.onProblem?.('rotated', known.path, `renamed to ${path}`);
      known.path = path;
      return key;
    }
    let handle: FileHandle;
    try {
      handle = await open(path, 'r');
    } catch (e) {
      this.problem(path, 'unreadable', errText(e));
      return undefined;
    }
    this.clearProblem(path);
    const size = (await handle.stat()).size;
    const stored = this.o.loadOffset(key);
    let pos = 0;
    let skipping = false;
    let headLen = 0;
    let headHash = '';
    if (stored && stored.offset <= size && (await headOf(handle, stored.headLen)) === stored.headHash) {
      pos = stored.offset;
      skipping = stored.skipping;
      headLen = stored.headLen;
      headHash = stored.headHash;
    } else if (!stored && this.firstPoll && g.initialPosition === 'end_of_file' && !this.o.knowsPath(path)) {
      pos = size;
    }
    this.tracked.set(key, {
      key,
      path,
      logGroup: g.logGroup,
      handle,
      pos,
      splitter: new LineSplitter(this.o.maxLineBytes, skipping),
      headLen,
      headHash,
      goneSince: null,
      lastSize: size,
    });
    return key;
  }

  private async read(t: Tracked): Promise<void> {
    let size: number;
    try {
      size = (await t.handle.stat()).size;
      if (size < t.pos || !(await this.sameHead(t, size))) {
        this.o.onProblem?.('truncated', t.path, `size ${size} below offset ${t.pos}, or its first bytes changed`);
        t.pos = 0;
        t.splitter.reset();
        t.headLen = 0;
        t.headHash = '';
      }
      if (t.headLen < HEAD_BYTES && size > t.headLen) {
        t.headLen = Math.min(size, HEAD_BYTES);
        t.headHash = await headOf(t.handle, t.headLen);
      }
      while (t.pos < size && !this.closed) {
        const want = Math.min(this.buf.length, size - t.pos);
        const { bytesRead } = await t.handle.read(this.buf, 0, want, t.pos);
        if (bytesRead <= 0) break;
        t.pos += bytesRead;
        const { parts, truncated } = t.splitter.push(this.buf.subarray(0, bytesRead));
        this.emit(t, parts, truncated);
      }
      t.lastSize = size;
      this.clearProblem(t.path);
    } catch (e) {
      this.problem(t.path, 'unreadable', errText(e));
      return;
    }
    const now = this.o.clock.now().getTime();
    if (t.goneSince !== null && now - t.goneSince >= GONE_GRACE_MS) {
      // Rotated away and finished: its partial last line is a line of its own.
      const last = t.splitter.flush();
      if (last.length) this.emit(t, [last], 0);
      this.tracked.delete(t.key);
      await t.handle.close().catch(() => {});
    }
  }

  private emit(t: Tracked, parts: Buffer[], truncated: number): void {
    const offset: FileOffset = {
      fileKey: t.key,
      path: t.path,
      logGroup: t.logGroup,
      offset: t.pos - t.splitter.pending,
      skipping: t.splitter.skipping,
      headLen: t.headLen,
      headHash: t.headHash,
    };
    this.o.onLines(t.logGroup, parts, this.o.clock.now().getTime(), offset, truncated);
  }

  private async sameHead(t: Tracked, size: number): Promise<boolean> {
    if (t.headLen === 0 || size < t.headLen) return size >= t.headLen;
    return (await headOf(t.handle, t.headLen)) === t.headHash;
  }

  private problem(path: string, kind: 'unreadable' | 'missing', detail: string): void {
    if (this.problems.get(path) === detail) return;
    this.problems.set(path, detail);
    this.o.logger.warn({ path, problem: kind, detail }, 'log file cannot be read; retrying');
    this.o.onProblem?.(kind, path, detail);
  }

  private clearProblem(path: string): void {
    if (this.problems.delete(path)) this.o.logger.info({ path }, 'log file readable again');
  }
}

async function headOf(handle: FileHandle, len: number): Promise<string> {
  if (len === 0) return '';
  const b = Buffer.alloc(len);
  const { bytesRead } = await handle.read(b, 0, len, 0);
  return createHash('sha256').update(b.subarray(0, bytesRead)).digest('base64url').slice(0, 22);
}

const errText = (e: unknown): string => {
  const err = e as NodeJS.ErrnoException;
  return err.code ? `${err.code}: ${err.message}` : String(e);
};
