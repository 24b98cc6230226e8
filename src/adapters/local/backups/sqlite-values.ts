/** SQLite ↔ backup rows: identifiers, declared types, and values as JSON (bytes as base64, big integers as text). */
import type { ColumnSpec, ColumnType, Row, TableSchema } from '../../../ports/backups.ts';

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
export const identList = (names: readonly string[]) => names.map(quoteIdent).join(', ');

/** A column's type from its declared SQLite type (affinity rules, plus dates, booleans and JSON). */
export function columnTypeOf(declared: string | null | undefined): ColumnType | null {
  const t = (declared ?? '').toUpperCase();
  if (t === '') return null;
  if (t.includes('BOOL')) return 'boolean';
  if (t.includes('DATE') || t.includes('TIME')) return 'timestamp';
  if (t.includes('JSON')) return 'json';
  if (t.includes('INT')) return 'integer';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t.includes('BLOB')) return 'bytes';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB') || t.includes('NUM') || t.includes('DEC'))
    return 'real';
  return 'text';
}

/** A type from a sample value, for query columns with no declared type. */
export function columnTypeOfValue(value: unknown): ColumnType {
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'real';
  if (Buffer.isBuffer(value)) return 'bytes';
  return 'text';
}

/**
 * Declared types for the hot table, chosen so SQLite's affinity keeps each value as it came: TIMESTAMP
 * (NUMERIC affinity) keeps ISO text as text and epoch numbers as numbers; JSON goes in a TEXT column.
 */
export const DECLARED: Record<ColumnType, string> = {
  integer: 'INTEGER',
  real: 'REAL',
  text: 'TEXT',
  boolean: 'BOOLEAN',
  timestamp: 'TIMESTAMP',
  json: 'JSONTEXT',
  bytes: 'BLOB',
};

/** A value read from SQLite (safe integers on) as it travels: JSON-able. */
export function fromSqlite(value: unknown): unknown {
  if (typeof value === 'bigint')
    return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)
      ? Number(value)
      : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

export function rowFromSqlite(row: Record<string, unknown>): Row {
  for (const k in row) {
    const v = row[k];
    if (typeof v === 'bigint' || Buffer.isBuffer(v)) row[k] = fromSqlite(v);
  }
  return row;
}

/** A travelling value bound for a column of the given type. */
export function toSqlite(value: unknown, type: ColumnType | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    if (type === 'bytes') return Buffer.from(value, 'base64');
    if (type === 'integer' && /^-?\d{16,}$/.test(value)) return BigInt(value);
    return value;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return value;
}

export function columnTypes(schema: TableSchema): Map<string, ColumnType> {
  return new Map(schema.columns.map((c: ColumnSpec) => [c.name, c.type]));
}

/** `(a, b) > (?, ?)`: row-value comparison, so ties on the first column are ordered by the next. */
export const rowCompare = (cols: readonly string[], op: '>' | '<=') =>
  cols.length === 1
    ? `${quoteIdent(cols[0]!)} ${op} ?`
    : `(${identList(cols)}) ${op} (${cols.map(() => '?').join(', ')})`;
