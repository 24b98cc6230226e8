/**
 * Keyset chunks over a SQLite relation. Each chunk is a half-open range (lo, hi] of the order the run
 * reads in: the primary key (full runs) or (cursor, primary key) (incremental runs). Boundaries are every
 * chunkRows-th row of that order, found with row_number() inside SQLite.
 */
import type Database from 'better-sqlite3';
import type { ChunkSpec, CursorPosition, PlanRequest, TableSchema } from '../../../ports/backups.ts';
import { columnTypes, fromSqlite, identList, quoteIdent, rowCompare, toSqlite } from './sqlite-values.ts';

export type ChunkParams =
  | { order: 'key'; lo: unknown[] | null; hi: unknown[] | null; upper: CursorPosition | null }
  | { order: 'cursor'; lo: CursorPosition | null; hi: CursorPosition };

const flat = (p: CursorPosition) => [p.value, ...p.key];
const toPosition = (raw: unknown[]): CursorPosition => ({ value: raw[0], key: raw.slice(1) });
const same = (a: unknown[], b: unknown[]) => JSON.stringify(a) === JSON.stringify(b);
const show = (v: unknown[] | null) => (v === null ? '…' : v.map((x) => JSON.stringify(x)).join(','));

function binder(schema: TableSchema, cols: readonly string[]) {
  const types = columnTypes(schema);
  return (values: readonly unknown[]) => values.map((v, i) => toSqlite(v, types.get(cols[i]!)));
}

function rawAll(db: Database.Database, sql: string, args: unknown[]): unknown[][] {
  return (
    db
      .prepare(sql)
      .safeIntegers(true)
      .raw(true)
      .all(...args) as unknown[][]
  ).map((r) => r.map(fromSqlite));
}

export function bounds(
  db: Database.Database,
  relation: string,
  schema: TableSchema,
  request: PlanRequest,
): ChunkSpec[] {
  const pk = schema.primaryKey;
  const cursor = request.cursor;
  const every = Math.max(1, request.chunkRows);
  if (cursor && request.mode === 'incremental') {
    const cols = [cursor.column, ...pk];
    const bind = binder(schema, cols);
    const after = cursor.after;
    const where = [`${quoteIdent(cursor.column)} IS NOT NULL`, ...(after ? [rowCompare(cols, '>')] : [])].join(' AND ');
    const args = after ? bind(flat(after)) : [];
    const desc = cols.map((c) => `${quoteIdent(c)} DESC`).join(', ');
    const [top] = rawAll(
      db,
      `SELECT ${identList(cols)} FROM ${relation} WHERE ${where} ORDER BY ${desc} LIMIT 1`,
      args,
    );
    if (!top) return [];
    const marks = rawAll(
      db,
      `SELECT ${identList(cols)} FROM (SELECT ${identList(cols)}, row_number() OVER (ORDER BY ${identList(cols)}) AS rn__ FROM ${relation} WHERE ${where} AND ${rowCompare(cols, '<=')}) WHERE rn__ % ${every} = 0 ORDER BY rn__`,
      [...args, ...bind(top)],
    );
    const chunks: ChunkSpec[] = [];
    let lo: CursorPosition | null = after;
    for (const m of [...marks, ...(marks.length && same(marks[marks.length - 1]!, top) ? [] : [top])]) {
      const hi = toPosition(m);
      const params: ChunkParams = { order: 'cursor', lo, hi };
      chunks.push({ index: chunks.length, label: `(${cols.join(',')}) (${show(lo && flat(lo))}..${show(m)}]`, params });
      lo = hi;
    }
    return chunks;
  }
  let upper: CursorPosition | null = null;
  if (cursor) {
    const cols = [cursor.column, ...pk];
    const desc = cols.map((c) => `${quoteIdent(c)} DESC`).join(', ');
    const [top] = rawAll(
      db,
      `SELECT ${identList(cols)} FROM ${relation} WHERE ${quoteIdent(cursor.column)} IS NOT NULL ORDER BY ${desc} LIMIT 1`,
      [],
    );
    upper = top ? toPosition(top) : null;
  }
  const keys = identList(pk);
  const marks = rawAll(
    db,
    `SELECT ${keys} FROM (SELECT ${keys}, row_number() OVER (ORDER BY ${keys}) AS rn__ FROM ${relation}) WHERE rn__ % ${every} = 0 ORDER BY rn__`,
    [],
  );
  const bind = binder(schema, pk);
  const chunks: ChunkSpec[] = [];
  let lo: unknown[] | null = null;
  const push = (hi: unknown[] | null) => {
    const params: ChunkParams = { order: 'key', lo, hi, upper };
    chunks.push({ index: chunks.length, label: `(${pk.join(',')}) (${show(lo)}..${show(hi)}]`, params });
    lo = hi;
  };
  for (const m of marks) push(m);
  const rest = lo === null ? [] : bind(lo);
  const more = rawAll(
    db,
    `SELECT 1 FROM ${relation}${lo === null ? '' : ` WHERE ${rowCompare(pk, '>')}`} LIMIT 1`,
    rest,
  );
  if (more.length > 0) push(null);
  return chunks;
}

/** The WHERE clause, its arguments and the ORDER BY of one chunk. */
export function chunkWhere(schema: TableSchema, request: PlanRequest, p: ChunkParams) {
  const pk = schema.primaryKey;
  const parts: string[] = [];
  const args: unknown[] = [];
  if (p.order === 'cursor') {
    const cols = [request.cursor!.column, ...pk];
    const bind = binder(schema, cols);
    parts.push(`${quoteIdent(cols[0]!)} IS NOT NULL`, rowCompare(cols, '<='));
    args.push(...bind(flat(p.hi)));
    if (p.lo) {
      parts.push(rowCompare(cols, '>'));
      args.push(...bind(flat(p.lo)));
    }
    return { where: parts.join(' AND '), args, order: identList(cols) };
  }
  const bind = binder(schema, pk);
  if (p.lo) {
    parts.push(rowCompare(pk, '>'));
    args.push(...bind(p.lo));
  }
  if (p.hi) {
    parts.push(rowCompare(pk, '<='));
    args.push(...bind(p.hi));
  }
  if (p.upper && request.cursor) {
    const cols = [request.cursor.column, ...pk];
    parts.push(`(${quoteIdent(cols[0]!)} IS NULL OR ${rowCompare(cols, '<=')})`);
    args.push(...binder(schema, cols)(flat(p.upper)));
  }
  return { where: parts.join(' AND '), args, order: identList(pk) };
}
