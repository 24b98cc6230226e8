/**
 * Items of a REST API as rows: projected onto the schema's columns, their types inferred from a page
 * when the job does not declare them, and compared as (cursor, key) tuples for incremental runs.
 */
import type { ColumnSpec, ColumnType, Row, TableSchema } from '../../../../ports/backups.ts';
import { sourceFailed } from '../adapter-errors.ts';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)$/;

function typeOf(v: unknown): ColumnType | undefined {
  if (v === null || v === undefined) return undefined;
  if (typeof v === 'boolean') return 'boolean';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'real';
  if (typeof v === 'string') return ISO.test(v) ? 'timestamp' : 'text';
  return 'json';
}

function merge(a: ColumnType | undefined, b: ColumnType | undefined): ColumnType | undefined {
  if (a === undefined || a === b) return b ?? a;
  if (b === undefined) return a;
  if ((a === 'integer' && b === 'real') || (a === 'real' && b === 'integer')) return 'real';
  if (a === 'json' || b === 'json') return 'json';
  return 'text';
}

/** Columns in first-seen order; a column only ever null is text. */
export function inferColumns(items: unknown[], primaryKey: string[]): ColumnSpec[] {
  const types = new Map<string, ColumnType | undefined>();
  for (const item of items) {
    if (item === null || typeof item !== 'object' || Array.isArray(item)) continue;
    for (const [k, v] of Object.entries(item)) types.set(k, merge(types.get(k), typeOf(v)));
  }
  for (const k of primaryKey) if (!types.has(k)) types.set(k, 'text');
  return [...types].map(([name, t]) => ({ name, type: t ?? 'text', nullable: !primaryKey.includes(name) }));
}

/** An item as a row of the schema: missing fields null, timestamps in UTC (`…Z`), extra fields dropped. */
export function project(item: unknown, schema: TableSchema): Row {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) {
    throw sourceFailed(`REST source: an item is not an object (${JSON.stringify(item)?.slice(0, 80)}).`);
  }
  const src = item as Record<string, unknown>;
  const row: Row = {};
  for (const c of schema.columns) {
    let v = src[c.name] ?? null;
    if (c.type === 'timestamp' && typeof v === 'string' && !v.endsWith('Z')) {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) v = new Date(t).toISOString();
    }
    row[c.name] = v;
  }
  for (const k of schema.primaryKey) {
    if (row[k] === null) throw sourceFailed(`REST source: an item has no ${k} (part of the key).`);
  }
  return row;
}

const fraction = (iso: string) => (/T[^.]*\.(\d+)/.exec(iso)?.[1] ?? '').padEnd(12, '0');

function compareValues(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const na = typeof a === 'number' ? a : typeof a === 'string' && a.trim() !== '' ? Number(a) : NaN;
  const nb = typeof b === 'number' ? b : typeof b === 'string' && b.trim() !== '' ? Number(b) : NaN;
  if (!Number.isNaN(na) && !Number.isNaN(nb)) return na - nb;
  if (typeof a === 'string' && typeof b === 'string' && ISO.test(a) && ISO.test(b)) {
    const d = Date.parse(a) - Date.parse(b);
    if (d !== 0) return d;
    // Same millisecond: the digits past it (microseconds) decide.
    const fa = fraction(a);
    const fb = fraction(b);
    return fa < fb ? -1 : fa > fb ? 1 : 0;
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

export function compareTuples(a: unknown[], b: unknown[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = compareValues(a[i], b[i]);
    if (d !== 0) return d;
  }
  return 0;
}
