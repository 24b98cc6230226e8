/**
 * Turns raw file bytes into complete lines: keeps a partial last line until its newline arrives, cuts
 * lines longer than `maxLineBytes` (the rest of such a line is skipped up to its newline) and counts them.
 * Works on Buffers so that a chunk is decoded once, or not at all when a filter's anchor is absent.
 */
export interface SplitResult {
  /** Complete lines, each ending in '\n', in one or more parts (none when there are no lines). */
  parts: Buffer[];
  /** How many lines were cut to maxLineBytes. */
  truncated: number;
}

export class LineSplitter {
  /** Bytes of a line whose newline has not arrived yet. */
  private carry: Buffer | null = null;

  constructor(
    private readonly maxLineBytes: number,
    /** Inside an over-long line, skipping up to its newline (persisted with the offset). */
    public skipping = false,
  ) {}

  /** Bytes held back (not yet part of a complete line): the committed offset is the read position minus these. */
  get pending(): number {
    return this.carry?.length ?? 0;
  }

  /** `data` may be a view of a reused buffer: whatever is kept is copied. */
  push(data: Buffer): SplitResult {
    const parts: Buffer[] = [];
    let truncated = 0;
    let start = 0;
    if (this.skipping) {
      const nl = data.indexOf(10);
      if (nl < 0) return { parts, truncated };
      this.skipping = false;
      start = nl + 1;
    }
    if (this.carry) {
      // Only the first line needs joining: the rest of the chunk is passed on without a copy.
      const nl = data.indexOf(10, start);
      if (nl < 0) {
        this.keep(Buffer.concat([this.carry, data.subarray(start)]), parts);
        return { parts, truncated: truncated + (this.skipping ? 1 : 0) };
      }
      const first = Buffer.concat([this.carry, data.subarray(start, nl + 1)]);
      this.carry = null;
      if (first.length - 1 > this.maxLineBytes) {
        parts.push(cutLine(first.subarray(0, first.length - 1), this.maxLineBytes));
        truncated++;
      } else parts.push(first);
      start = nl + 1;
    }
    const view = data.subarray(start);
    const last = view.lastIndexOf(10);
    const lines = last < 0 ? EMPTY : view.subarray(0, last + 1);
    if (lines.length > 0) {
      if (hasLongLine(lines, this.maxLineBytes)) {
        const cut = cutLongLines(lines, this.maxLineBytes);
        parts.push(cut.lines);
        truncated += cut.truncated;
      } else parts.push(lines);
    }
    const before = this.skipping;
    this.keep(view.subarray(last + 1), parts);
    if (this.skipping && !before) truncated++;
    return { parts, truncated };
  }

  /** Holds a partial line back, or cuts it when it is already too long (and skips the rest of it). */
  private keep(rest: Buffer, parts: Buffer[]): void {
    if (rest.length > this.maxLineBytes) {
      parts.push(cutLine(rest, this.maxLineBytes));
      this.skipping = true;
    } else if (rest.length > 0) this.carry = Buffer.from(rest);
  }

  /** The partial last line as a line of its own (the file was rotated away or finished), or nothing. */
  flush(): Buffer {
    const c = this.carry;
    this.carry = null;
    this.skipping = false;
    return c && c.length ? Buffer.concat([c, NEWLINE]) : EMPTY;
  }

  reset(): void {
    this.carry = null;
    this.skipping = false;
  }
}

const EMPTY = Buffer.alloc(0);
const NEWLINE = Buffer.from('\n');

/**
 * Whether some line of `buf` (complete lines) is longer than `max`, without visiting every line: from
 * each line start it jumps `max` bytes and looks back for a newline, so a chunk of short lines costs one
 * short backward search per `max` bytes.
 */
export function hasLongLine(buf: Buffer, max: number): boolean {
  let start = 0;
  while (buf.length - start > max) {
    const nl = buf.lastIndexOf(10, start + max);
    if (nl < start) return true;
    start = nl + 1;
  }
  return false;
}

/** The first `max` bytes of a line (at a character boundary), as a complete line. */
function cutLine(line: Buffer, max: number): Buffer {
  return Buffer.concat([line.subarray(0, charBoundary(line, max)), NEWLINE]);
}

function cutLongLines(buf: Buffer, max: number): { lines: Buffer; truncated: number } {
  const parts: Buffer[] = [];
  let truncated = 0;
  for (let start = 0; start < buf.length;) {
    const nl = buf.indexOf(10, start);
    const end = nl < 0 ? buf.length : nl;
    if (end - start > max) {
      parts.push(buf.subarray(start, start + charBoundary(buf.subarray(start, end), max)), NEWLINE);
      truncated++;
    } else parts.push(buf.subarray(start, end + 1));
    start = end + 1;
  }
  return { lines: Buffer.concat(parts), truncated };
}

/** The largest length ≤ max that does not split a UTF-8 sequence. */
function charBoundary(buf: Buffer, max: number): number {
  let n = Math.min(max, buf.length);
  while (n > 0 && n < buf.length && (buf[n]! & 0xc0) === 0x80) n--;
  return n;
}
