/**
 * The hot target's tables: the live table made or widened from a source's schema, and the SQL that
 * moves rows into it. ColumnType → Postgres: integer bigint, real double precision, text text, boolean
 * boolean, timestamp timestamptz, json jsonb, bytes bytea.
 *
 * Widening never loses data: a new column is added (nullable); an int column asked to hold reals
 * becomes double precision, a smaller int becomes bigint; any other mismatch turns the column into
 * text (a key column cannot change type: that is refused). A text column accepts every type.
 */
import type pg from 'pg';
import type { ColumnType, TableSchema } from '../../../../ports/backups.ts';
import { targetInvalid } from '../adapter-errors.ts';
import { quoteIdent } from './connection.ts';

export const PG_TYPE: Record<ColumnType, string> = {
  integer: 'bigint',
  real: 'double precision',
  text: 'text',
  boolean: 'boolean',
  timestamp: 'timestamp with time zone',
  json: 'jsonb',
  bytes: 'bytea',
};

/** Live column types that already hold a column of this type (by assignment cast) without change. */
const ACCEPTS: Record<ColumnType, string[]> = {
  integer: ['bigint', 'numeric', 'double precision', 'text'],
  real: ['double precision', 'numeric', 'text'],
  text: ['text'],
  boolean: ['boolean', 'text'],
  timestamp: ['timestamp with time zone', 'timestamp without time zone', 'text'],
  json: ['jsonb', 'json', 'text'],
  bytes: ['bytea', 'text'],
};
const WIDEN_TO: Partial<Record<ColumnType, Record<string, string>>> = {
  integer: { integer: 'bigint', smallint: 'bigint' },
  real: {
    integer: 'double precision',
    smallint: 'double precision',
    bigint: 'double precision',
    real: 'double precision',
  },
};

export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function checkSchema(schema: TableSchema): void {
  if (!NAME.test(schema.name)) throw targetInvalid(`Postgres target: "${schema.name}" is not a valid table name.`);
  if (schema.primaryKey.length === 0)
    throw targetInvalid(`Postgres target: ${schema.name} needs a primary key to upsert by.`);
  const names = new Set(schema.columns.map((c) => c.name));
  const missing = schema.primaryKey.filter((k) => !names.has(k));
  if (missing.length > 0)
    throw targetInvalid(`Postgres target: key column(s) ${missing.join(', ')} are not columns of ${schema.name}.`);
}

/** Column definitions; the live table has the primary key, staging (which may hold a row twice) not. */
export const columnDefs = (schema: TableSchema, withKey = true) =>
  [
    ...schema.columns.map(
      (c) => `${quoteIdent(c.name)} ${PG_TYPE[c.type]}${schema.primaryKey.includes(c.name) ? ' NOT NULL' : ''}`,
    ),
    ...(withKey ? [`PRIMARY KEY (${schema.primaryKey.map(quoteIdent).join(', ')})`] : []),
  ].join(', ');

interface LiveColumn {
  name: string;
  type: string;
  notNull: boolean;
}

export async function liveColumns(client: pg.ClientBase, table: string): Promise<LiveColumn[]> {
  const res = await client.query<LiveColumn>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS "notNull"
       FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`,
    [table],
  );
  return res.rows;
}

export async function livePrimaryKey(client: pg.ClientBase, table: string): Promise<string[]> {
  const res = await client.query<{ name: string }>(
    `SELECT a.attname AS name
       FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
       JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
      WHERE i.indrelid = to_regclass($1) AND i.indisprimary ORDER BY k.ord`,
    [table],
  );
  return res.rows.map((r) => r.name);
}

/** ALTER TABLE clauses that make an existing table hold the schema's columns. */
export function widenings(schema: TableSchema, live: LiveColumn[]): string[] {
  const byName = new Map(live.map((c) => [c.name, c]));
  const out: string[] = [];
  for (const c of schema.columns) {
    const have = byName.get(c.name);
    const q = quoteIdent(c.name);
    if (!have) {
      out.push(`ADD COLUMN ${q} ${PG_TYPE[c.type]}`);
      continue;
    }
    const isKey = schema.primaryKey.includes(c.name);
    const base = have.type.replace(/\(.*\)$/, '');
    if (!ACCEPTS[c.type].includes(base)) {
      const to = WIDEN_TO[c.type]?.[base] ?? 'text';
      if (isKey)
        throw targetInvalid(`Postgres target: key column ${c.name} is ${have.type}; the source now sends ${c.type}.`);
      out.push(`ALTER COLUMN ${q} TYPE ${to} USING ${q}::${to}`);
    } else if (base !== have.type && base === 'text') {
      // varchar(n)-like limits of a text column made by hand: lift them.
      out.push(`ALTER COLUMN ${q} TYPE text`);
    }
    if (have.notNull && c.nullable && !isKey) out.push(`ALTER COLUMN ${q} DROP NOT NULL`);
  }
  return out;
}

function upsertTail(schema: TableSchema): string {
  const rest = schema.columns.filter((c) => !schema.primaryKey.includes(c.name));
  const conflict = `ON CONFLICT (${schema.primaryKey.map(quoteIdent).join(', ')})`;
  if (rest.length === 0) return `${conflict} DO NOTHING`;
  return `${conflict} DO UPDATE SET ${rest.map((c) => `${quoteIdent(c.name)} = EXCLUDED.${quoteIdent(c.name)}`).join(', ')}`;
}

export const copyInSql = (stage: string, schema: TableSchema) =>
  `COPY ${stage} (${schema.columns.map((c) => quoteIdent(c.name)).join(', ')}) FROM STDIN`;

/**
 * Staging → live in one statement. With `dedupe`, a key staged twice (a chunk retried, a run resumed)
 * keeps its last copy (the highest ctid: staging is only ever appended to); without it such a key makes
 * the statement fail (SQLSTATE 21000) and the caller retries with dedupe.
 */
export function mergeSql(stage: string, live: string, schema: TableSchema, dedupe: boolean): string {
  const cols = schema.columns.map((c) => quoteIdent(c.name)).join(', ');
  const keys = schema.primaryKey.map(quoteIdent).join(', ');
  const select = dedupe
    ? `SELECT DISTINCT ON (${keys}) ${cols} FROM ${stage} ORDER BY ${keys}, ctid DESC`
    : `SELECT ${cols} FROM ${stage}`;
  return `INSERT INTO ${live} AS t (${cols}) ${select} ${upsertTail(schema)}`;
}
