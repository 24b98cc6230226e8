/**
 * Chunks of a Postgres source and the SQL that reads one.
 *
 * Full runs split the primary key into ranges [lo, hi): by min/max arithmetic for a single integer key
 * (instant, even for a sparse key only the chunk sizes vary), otherwise by every chunkRows-th key in key
 * order. The first and last ranges are open, so rows inserted beyond the ends meanwhile are read too.
 *
 * Incremental runs read the tuples (cursor, key…) in (after, upto], `upto` being the greatest tuple when
 * the run was planned: a row updated during the run moves past `upto` and is read by the next run. Rows
 * whose cursor is NULL are never read incrementally (a full run reads them).
 */
import type pg from 'pg';
import type { ChunkSpec, PlanRequest } from '../../../../ports/backups.ts';
import { sourceInvalid } from '../adapter-errors.ts';
import { quoteIdent } from './connection.ts';
import { columnOf, type Relation } from './catalog.ts';
import { jsonObjectText, literalExpr, paramExpr, rowTypes, selectExpr, toParam, type PgColumn } from './types.ts';

type Tuple = unknown[];
export type ChunkParams =
  { mode: 'full'; lo: Tuple | null; hi: Tuple | null } | { mode: 'incremental'; after: Tuple | null; upto: Tuple };

const col = (c: PgColumn) => `s.${quoteIdent(c.name)}`;

class Sql {
  values: unknown[] = [];
  /** Literals instead of $n parameters (for COPY, which takes none). */
  constructor(private readonly literals = false) {}
  param(c: PgColumn, v: unknown): string {
    if (this.literals) return literalExpr(c, v);
    this.values.push(toParam(v));
    return paramExpr(c, this.values.length);
  }
  tuple(cols: PgColumn[], vs: Tuple): string {
    const ps = cols.map((c, i) => this.param(c, vs[i]));
    return cols.length === 1 ? ps[0]! : `(${ps.join(', ')})`;
  }
}

const tupleOf = (cols: PgColumn[]) => (cols.length === 1 ? col(cols[0]!) : `(${cols.map(col).join(', ')})`);
const keyCols = (r: Relation) => r.primaryKey.map((k) => columnOf(r, k));
const orderCols = (r: Relation, req: PlanRequest) => {
  if (req.mode === 'incremental') {
    if (!req.cursor) throw sourceInvalid('Postgres source: an incremental run needs a cursor column.');
    return [columnOf(r, req.cursor.column), ...keyCols(r)];
  }
  return keyCols(r);
};

/** WHERE clause of a chunk (with its parameters). */
function where(r: Relation, req: PlanRequest, p: ChunkParams, sql: Sql): string {
  const cols = orderCols(r, req);
  const t = tupleOf(cols);
  const conds: string[] = [];
  if (p.mode === 'full') {
    if (p.lo) conds.push(`${t} >= ${sql.tuple(cols, p.lo)}`);
    if (p.hi) conds.push(`${t} < ${sql.tuple(cols, p.hi)}`);
  } else {
    const c = cols[0]!;
    // The plain bounds on the cursor column let an index on it alone serve the row comparison.
    if (p.after) conds.push(`${col(c)} >= ${sql.param(c, p.after[0])}`, `${t} > ${sql.tuple(cols, p.after)}`);
    conds.push(`${col(c)} <= ${sql.param(c, p.upto[0])}`, `${t} <= ${sql.tuple(cols, p.upto)}`);
  }
  return conds.length > 0 ? `WHERE ${conds.join(' AND ')}` : '';
}

/**
 * The chunk as one `COPY … TO STDOUT` of one JSON object per line. CSV with a delimiter and a quote
 * character that JSON always escapes (\x02, \x01) makes COPY write each value as it is: NDJSON.
 */
export function copyQuery(r: Relation, req: PlanRequest, p: ChunkParams): string {
  const w = where(r, req, p, new Sql(true));
  // Full chunks need no order (a plain range scan is fastest); incremental ones come in cursor order.
  const order = p.mode === 'incremental' ? ` ORDER BY ${orderCols(r, req).map(col).join(', ')}` : '';
  const select = `SELECT ${jsonObjectText(r.columns)} FROM ${r.from} AS s ${w}${order}`;
  return `COPY (${select}) TO STDOUT WITH (FORMAT csv, DELIMITER E'\\x02', QUOTE E'\\x01')`;
}

const INTEGER_KEYS = new Set(['int2', 'int4', 'int8']);
const show = (t: Tuple | null) => (t ? t.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ') : '');

export async function planChunks(client: pg.ClientBase, r: Relation, req: PlanRequest): Promise<ChunkSpec[]> {
  const chunkRows = Math.max(1, Math.floor(req.chunkRows));
  const params: ChunkParams[] =
    req.mode === 'full' ? await planFull(client, r, chunkRows) : await planIncremental(client, r, req, chunkRows);
  const names = orderCols(r, req)
    .map((c) => c.name)
    .join(', ');
  return params.map((p, index) => ({
    index,
    label: labelOf(names, p),
    params: p as unknown as Record<string, unknown>,
  }));
}

function labelOf(names: string, p: ChunkParams): string {
  if (p.mode === 'incremental') return `(${names}) in (${p.after ? show(p.after) : '-∞'} .. ${show(p.upto)}]`;
  if (!p.lo && !p.hi) return `${names}: all`;
  if (!p.lo) return `${names} < ${show(p.hi)}`;
  if (!p.hi) return `${names} >= ${show(p.lo)}`;
  return `${names} in [${show(p.lo)} .. ${show(p.hi)})`;
}

async function estimateRows(client: pg.ClientBase, r: Relation): Promise<number> {
  if (r.relid !== undefined) {
    const est = await client.query<{ n: number }>('SELECT reltuples::float8 AS n FROM pg_class WHERE oid = $1', [
      r.relid,
    ]);
    const n = est.rows[0]?.n ?? -1;
    if (n > 0) return n;
  }
  const exact = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${r.from} AS s`);
  return Number(exact.rows[0]?.n ?? 0);
}

async function planFull(client: pg.ClientBase, r: Relation, chunkRows: number): Promise<ChunkParams[]> {
  const keys = keyCols(r);
  const key = keys[0]!;
  if (keys.length === 1 && INTEGER_KEYS.has(key.baseType)) {
    const mm = await client.query<{ lo: string | null; hi: string | null }>(
      `SELECT min(${col(key)})::text AS lo, max(${col(key)})::text AS hi FROM ${r.from} AS s`,
    );
    const { lo, hi } = mm.rows[0] ?? { lo: null, hi: null };
    if (lo === null || hi === null) return [{ mode: 'full', lo: null, hi: null }];
    const n = BigInt(Math.max(1, Math.ceil((await estimateRows(client, r)) / chunkRows)));
    const span = BigInt(hi) - BigInt(lo) + 1n;
    const step = (span + n - 1n) / n;
    const bounds: Tuple[] = [];
    for (let b = BigInt(lo) + step; b <= BigInt(hi); b += step) {
      bounds.push([Number.isSafeInteger(Number(b)) ? Number(b) : b.toString()]);
    }
    return ranges(bounds);
  }
  const t = tupleOf(keys);
  const order = keys.map(col).join(', ');
  const sampled = await client.query({
    text: `SELECT ${keys.map((k) => selectExpr(k)).join(', ')} FROM (
             SELECT ${order}, row_number() OVER (ORDER BY ${order}) AS rn
               FROM ${r.from} AS s) AS s
            WHERE rn % $1 = 0 ORDER BY ${t}`,
    values: [chunkRows],
    rowMode: 'array',
    types: rowTypes,
  } as pg.QueryArrayConfig);
  return ranges(sampled.rows as Tuple[]);
}

function ranges(bounds: Tuple[]): ChunkParams[] {
  const out: ChunkParams[] = [];
  let lo: Tuple | null = null;
  for (const b of bounds) {
    out.push({ mode: 'full', lo, hi: b });
    lo = b;
  }
  out.push({ mode: 'full', lo, hi: null });
  return out;
}

async function planIncremental(
  client: pg.ClientBase,
  r: Relation,
  req: PlanRequest,
  chunkRows: number,
): Promise<ChunkParams[]> {
  const cols = orderCols(r, req);
  const after = req.cursor?.after ? [req.cursor.after.value, ...req.cursor.after.key] : null;
  if (after && after.length !== cols.length) {
    throw sourceInvalid(
      `Postgres source: the saved cursor has ${after.length - 1} key value(s), the key has ${cols.length - 1}.`,
    );
  }
  const sql = new Sql();
  const t = tupleOf(cols);
  const w = after
    ? `WHERE ${col(cols[0]!)} >= ${sql.param(cols[0]!, after[0])} AND ${t} > ${sql.tuple(cols, after)}`
    : `WHERE ${col(cols[0]!)} IS NOT NULL`;
  const order = cols.map(col);
  const rows = await client.query({
    text: `SELECT ${cols.map((c) => selectExpr(c)).join(', ')}, rn, total FROM (
             SELECT ${order.join(', ')}, row_number() OVER (ORDER BY ${order.join(', ')}) AS rn, count(*) OVER () AS total
               FROM ${r.from} AS s ${w}) AS s
            WHERE rn % $${sql.values.length + 1} = 0 OR rn = total ORDER BY rn`,
    values: [...sql.values, chunkRows],
    rowMode: 'array',
    types: rowTypes,
  } as pg.QueryArrayConfig);
  const bounds = (rows.rows as unknown[][]).map((row) => row.slice(0, cols.length));
  const out: ChunkParams[] = [];
  let lo: Tuple | null = after;
  for (const b of bounds) {
    out.push({ mode: 'incremental', after: lo, upto: b });
    lo = b;
  }
  return out;
}
