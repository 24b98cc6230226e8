/**
 * Cursor positions: (cursor value, primary key) pairs ordered as the sources order rows. A run starts
 * strictly after the committed position, so rows tied on the cursor value are told apart by their key:
 * none is read twice and none is skipped.
 */
import type { CursorPosition, Row } from '../../ports/backups.ts';

const INTEGER = /^-?\d+$/;

/** Orders two cursor or key values: null first, then numbers, then strings (integers as text by value). */
export function compareValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === null || a === undefined) return b === null || b === undefined ? 0 : -1;
  if (b === null || b === undefined) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'bigint' || typeof b === 'bigint') return compareValues(String(a), String(b));
  if (typeof a === 'string' && typeof b === 'string') {
    // Big integers arrive as text (beyond 2^53): compare them by value, not by spelling.
    if (INTEGER.test(a) && INTEGER.test(b)) return compareIntegerText(a, b);
    return a < b ? -1 : a > b ? 1 : 0;
  }
  if (typeof a === 'number') return -1; // numbers sort before text, as in SQLite
  if (typeof b === 'number') return 1;
  const [x, y] = [JSON.stringify(a), JSON.stringify(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareIntegerText(a: string, b: string): number {
  const [na, nb] = [a.startsWith('-'), b.startsWith('-')];
  if (na !== nb) return na ? -1 : 1;
  const [x, y] = [a.replace(/^-?0*/, ''), b.replace(/^-?0*/, '')];
  const magnitude = x.length !== y.length ? x.length - y.length : x < y ? -1 : x > y ? 1 : 0;
  return na ? -Math.sign(magnitude) : Math.sign(magnitude);
}

export function comparePositions(a: CursorPosition, b: CursorPosition): number {
  const c = compareValues(a.value, b.value);
  if (c !== 0) return c;
  for (let i = 0; i < Math.max(a.key.length, b.key.length); i++) {
    const k = compareValues(a.key[i], b.key[i]);
    if (k !== 0) return k;
  }
  return 0;
}

export function maxPosition(a: CursorPosition | null, b: CursorPosition | null): CursorPosition | null {
  if (!a) return b;
  if (!b) return a;
  return comparePositions(a, b) >= 0 ? a : b;
}

/** The row's position, or null when its cursor value is null (such rows only travel in full runs). */
export function positionOf(row: Row, column: string, key: readonly string[]): CursorPosition | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  return { value, key: key.map((k) => row[k]) };
}

/** Tracks the greatest position among the rows a chunk streams. */
export class PositionTracker {
  private best: CursorPosition | null = null;
  constructor(
    private readonly column: string,
    private readonly key: readonly string[],
  ) {}

  add(rows: readonly Row[]): void {
    for (const row of rows) {
      const p = positionOf(row, this.column, this.key);
      if (p && (!this.best || comparePositions(p, this.best) > 0)) this.best = p;
    }
  }

  get max(): CursorPosition | null {
    return this.best;
  }
}
