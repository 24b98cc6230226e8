/**
 * Finds what the Postgres source reads: a table (its columns and primary key from the catalog) or a
 * query (its columns from a `LIMIT 0` probe; its key given in the job's configuration).
 */
import type pg from 'pg';
import { sourceInvalid } from '../adapter-errors.ts';
import { quoteIdent } from './connection.ts';
import type { PgColumn } from './types.ts';

export interface Relation {
  /** SQL for the relation, to be aliased `s`: a qualified table name or a parenthesised query. */
  from: string;
  /** The table's name (for the default target table name); undefined for a query. */
  tableName: string | undefined;
  /** pg_class oid of a table, for a cheap row estimate. */
  relid: number | undefined;
  columns: PgColumn[];
  primaryKey: string[];
}

const TYPE_COLUMNS = `format_type(t.oid, NULL) AS "sqlType", bt.typname AS "baseType", bt.typcategory AS category`;
const BASE_TYPE = `JOIN pg_type bt ON bt.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END`;

export async function resolveTable(client: pg.ClientBase, table: string, primaryKey?: string[]): Promise<Relation> {
  const found = await client.query<{ oid: number; schema: string; name: string }>(
    `SELECT c.oid::int AS oid, n.nspname AS schema, c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE c.oid = to_regclass($1)`,
    [table],
  );
  const rel = found.rows[0];
  if (!rel) throw sourceInvalid(`Postgres source: no table or view named ${table} (check the schema and search_path).`);
  const columns = await client.query<PgColumn>(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS "sqlType", bt.typname AS "baseType",
            bt.typcategory AS category, a.attnotnull AS "notNull"
       FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid ${BASE_TYPE}
      WHERE a.attrelid = $1 AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [rel.oid],
  );
  let key = primaryKey;
  if (!key || key.length === 0) {
    const pk = await client.query<{ name: string }>(
      `SELECT a.attname AS name
         FROM pg_index i CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
        WHERE i.indrelid = $1 AND i.indisprimary
        ORDER BY k.ord`,
      [rel.oid],
    );
    key = pk.rows.map((r) => r.name);
  }
  if (key.length === 0) {
    throw sourceInvalid(`Postgres source: ${table} has no primary key; name the key columns in the job (primaryKey).`);
  }
  return checked({
    from: `${quoteIdent(rel.schema)}.${quoteIdent(rel.name)}`,
    tableName: rel.name,
    relid: rel.oid,
    columns: columns.rows,
    primaryKey: key,
  });
}

export async function resolveQuery(client: pg.ClientBase, query: string, primaryKey?: string[]): Promise<Relation> {
  const text = query.trim().replace(/;\s*$/, '');
  if (!primaryKey || primaryKey.length === 0) {
    throw sourceInvalid('Postgres source: a query source needs primaryKey (the columns that identify a row).');
  }
  const probe = await client.query({ text: `SELECT * FROM (${text}) AS s LIMIT 0`, rowMode: 'array' });
  const names = probe.fields.map((f) => f.name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw sourceInvalid(`Postgres source: the query returns the column "${dup}" twice; alias it.`);
  const oids = [...new Set(probe.fields.map((f) => f.dataTypeID))];
  const types = await client.query<{ oid: number; sqlType: string; baseType: string; category: string }>(
    `SELECT t.oid::int AS oid, ${TYPE_COLUMNS} FROM pg_type t ${BASE_TYPE} WHERE t.oid = ANY($1::oid[])`,
    [oids],
  );
  const byOid = new Map(types.rows.map((r) => [r.oid, r]));
  const columns = probe.fields.map((f): PgColumn => {
    const t = byOid.get(f.dataTypeID);
    return {
      name: f.name,
      sqlType: t?.sqlType ?? 'text',
      baseType: t?.baseType ?? 'text',
      category: t?.category ?? 'S',
      notNull: false,
    };
  });
  return checked({ from: `(${text})`, tableName: undefined, relid: undefined, columns, primaryKey });
}

function checked(r: Relation): Relation {
  const names = new Set(r.columns.map((c) => c.name));
  const missing = r.primaryKey.filter((k) => !names.has(k));
  if (missing.length > 0)
    throw sourceInvalid(`Postgres source: primary key column(s) ${missing.join(', ')} not found.`);
  return r;
}

export const columnOf = (r: Relation, name: string): PgColumn => {
  const c = r.columns.find((col) => col.name === name);
  if (!c) throw sourceInvalid(`Postgres source: no column named "${name}" (cursor column?).`);
  return c;
};
