/**
 * PostgresHotTarget: the hot copy in a Postgres database (the RDS role), read by another system during
 * an outage.
 *
 * A run writes with `COPY … FROM STDIN` into an UNLOGGED staging table `_cairn_stage_<runId>` (no WAL,
 * no index: the cheapest write Postgres has). commit() upserts staging into the live table
 * (`INSERT … ON CONFLICT (key) DO UPDATE`) and drops staging in ONE transaction: a reader sees all of
 * the run or none of it. beginRun() with the same runId after a crash keeps what staging holds. A key
 * staged twice (a retried chunk, a resumed run) makes that upsert fail; it is then redone, inside the
 * same transaction, keeping each key's last staged copy — so duplicates cost time only when they occur.
 *
 * Postgres empties unlogged tables when the server itself crashes; `_cairn_runs` (logged) remembers
 * that a run had written rows, so a resumed run whose staging vanished fails with
 * CAIRN_BACKUP_STAGING_LOST instead of committing a partial run.
 *
 * fingerprint() is a row count plus two sums of 64-bit slices of md5(row::text), hashed with SHA-256:
 * order-independent and computed in constant memory, but comparable only between Postgres tables with
 * the same columns, column order and types (the text form of a row depends on them).
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { HotRunWriter, HotTarget, Row, TableSchema } from '../../../../ports/backups.ts';
import { stagingLost, targetFailed, targetInvalid, targetUnavailable } from '../adapter-errors.ts';
import {
  checkout,
  createPool,
  describeUrl,
  quoteIdent,
  translatePgError,
  type Checkout,
} from '../postgres/connection.ts';
import { CopyIn, copyEncoder } from '../postgres/copy-in.ts';
import {
  checkSchema,
  columnDefs,
  liveColumns,
  livePrimaryKey,
  mergeSql,
  NAME,
  copyInSql,
  widenings,
} from '../postgres/ddl.ts';

export interface PostgresHotTargetOptions {
  /** `postgres://user:password@host:port/database`. */
  url: string;
  /** The Postgres schema that holds the live tables (default `public`; created when missing). */
  schema?: string;
  /** Rows per COPY into staging (default 5,000). */
  batchRows?: number;
  /** Longest any one statement may run, the commit included (default 1 hour). */
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
  /** Connections at most: chunks written in parallel (default 4). */
  maxConnections?: number;
}

const RUNS = '_cairn_runs';

export function stagingTableName(runId: string): string {
  const name = `_cairn_stage_${runId.replace(/[^A-Za-z0-9_]/g, '_')}`;
  return name.length <= 63 ? name : `_cairn_stage_${createHash('sha256').update(runId).digest('hex').slice(0, 40)}`;
}

export class PostgresHotTarget implements HotTarget {
  private readonly pool: pg.Pool;
  private readonly schema: string;
  private readonly where: string;
  private readonly batchRows: number;

  constructor(options: PostgresHotTargetOptions) {
    this.schema = options.schema ?? 'public';
    if (!NAME.test(this.schema)) throw targetInvalid(`Postgres target: "${this.schema}" is not a valid schema name.`);
    this.where = describeUrl(options.url);
    this.batchRows = Math.max(1, Math.floor(options.batchRows ?? 5_000));
    this.pool = createPool({
      url: options.url,
      max: options.maxConnections ?? 4,
      statementTimeoutMs: options.statementTimeoutMs ?? 3_600_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 10_000,
      applicationName: 'cairn-backup-target',
    });
  }

  /** `"schema"."name"` */
  qualified(name: string): string {
    return `${quoteIdent(this.schema)}.${quoteIdent(name)}`;
  }

  async prepare(schema: TableSchema): Promise<void> {
    checkSchema(schema);
    const live = this.qualified(schema.name);
    await this.transaction(`preparing ${schema.name}`, async (c) => {
      await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`cairn-hot:${this.schema}`]);
      if (this.schema !== 'public') await c.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(this.schema)}`);
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${this.qualified(RUNS)} (run_id text PRIMARY KEY, table_name text NOT NULL,
           has_rows boolean NOT NULL DEFAULT false, started_at timestamptz NOT NULL DEFAULT now())`,
      );
      const existing = await liveColumns(c, live);
      if (existing.length === 0) {
        await c.query(`CREATE TABLE ${live} (${columnDefs(schema)})`);
        return;
      }
      const key = await livePrimaryKey(c, live);
      if (key.join('\0') !== schema.primaryKey.join('\0')) {
        throw targetInvalid(
          `Postgres target: ${live} has the primary key (${key.join(', ') || 'none'}), the source (${schema.primaryKey.join(', ')}).`,
        );
      }
      const alter = widenings(schema, existing);
      if (alter.length > 0) await c.query(`ALTER TABLE ${live} ${alter.join(', ')}`);
    });
  }

  async beginRun(runId: string, schema: TableSchema): Promise<HotRunWriter> {
    checkSchema(schema);
    const stage = this.qualified(stagingTableName(runId));
    let hasRows = false;
    await this.transaction(`starting run ${runId}`, async (c) => {
      const run = await c.query<{ table_name: string; has_rows: boolean }>(
        `INSERT INTO ${this.qualified(RUNS)} (run_id, table_name) VALUES ($1, $2)
           ON CONFLICT (run_id) DO UPDATE SET run_id = EXCLUDED.run_id RETURNING table_name, has_rows`,
        [runId, schema.name],
      );
      const r = run.rows[0]!;
      if (r.table_name !== schema.name)
        throw targetInvalid(`Postgres target: run ${runId} belongs to table ${r.table_name}.`);
      await c.query(`CREATE UNLOGGED TABLE IF NOT EXISTS ${stage} (${columnDefs(schema, false)})`);
      const alter = widenings(schema, await liveColumns(c, stage));
      if (alter.length > 0) await c.query(`ALTER TABLE ${stage} ${alter.join(', ')}`);
      hasRows = r.has_rows;
      if (hasRows && !(await c.query(`SELECT 1 FROM ${stage} LIMIT 1`)).rowCount) {
        throw stagingLost(
          `Postgres target: the staging table of run ${runId} was emptied (a database crash); run it again from the start.`,
        );
      }
    });
    return new PgRunWriter(this, runId, stage, schema, hasRows);
  }

  async fingerprint(table: string): Promise<{ rows: number; sha256: string }> {
    if (!NAME.test(table)) throw targetInvalid(`Postgres target: "${table}" is not a valid table name.`);
    return this.transaction(`fingerprinting ${table}`, async (c) => {
      const exists = await c.query('SELECT to_regclass($1) IS NOT NULL AS ok', [this.qualified(table)]);
      if (!exists.rows[0].ok) throw targetInvalid(`Postgres target: no table ${this.qualified(table)}.`);
      const res = await c.query<{ n: string; a: string; b: string }>(
        `SELECT count(*)::text AS n,
                coalesce(sum(('x' || substr(h, 1, 16))::bit(64)::bigint::numeric), 0)::text AS a,
                coalesce(sum(('x' || substr(h, 17, 16))::bit(64)::bigint::numeric), 0)::text AS b
           FROM (SELECT md5(t::text) AS h FROM ${this.qualified(table)} AS t) AS x`,
      );
      const { n, a, b } = res.rows[0]!;
      return { rows: Number(n), sha256: createHash('sha256').update(`${n}:${a}:${b}`).digest('hex') };
    });
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => {});
  }

  /** Runs fn in a transaction on a pooled connection, translating every failure. */
  async transaction<T>(what: string, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    let c: Checkout | undefined;
    try {
      c = await checkout(this.pool);
      await c.client.query('BEGIN');
      const out = await fn(c.client);
      await c.client.query('COMMIT');
      c.release();
      return out;
    } catch (e) {
      if (c)
        await c.client.query('ROLLBACK').then(
          () => c!.release(),
          () => c!.release(true),
        );
      throw translatePgError(e, `Postgres target ${this.where}: ${what}`, {
        gone: targetUnavailable,
        invalid: targetInvalid,
        failed: targetFailed,
      });
    }
  }

  get rowsPerBatch(): number {
    return this.batchRows;
  }
}

class PgRunWriter implements HotRunWriter {
  private readonly copy: string;
  private readonly encode: (rows: readonly Row[]) => Buffer;

  constructor(
    private readonly target: PostgresHotTarget,
    private readonly runId: string,
    private readonly stage: string,
    private readonly schema: TableSchema,
    private marked: boolean,
  ) {
    this.copy = copyInSql(stage, schema);
    this.encode = copyEncoder(schema.columns);
  }

  async write(rows: Row[]): Promise<void> {
    const n = this.target.rowsPerBatch;
    for (let i = 0; i < rows.length; i += n) {
      const data = this.encode(rows.length <= n ? rows : rows.slice(i, i + n));
      await this.target.transaction(`writing run ${this.runId}`, async (c) => {
        const copy = new CopyIn(this.copy, data);
        (c.query as (submittable: CopyIn) => unknown)(copy);
        await copy.done;
        // Once per writer: remember (in a logged table) that staging holds rows. See the file's note.
        if (!this.marked) {
          await c.query(`UPDATE ${this.target.qualified(RUNS)} SET has_rows = true WHERE run_id = $1`, [this.runId]);
        }
      });
      this.marked = true;
    }
  }

  async commit(): Promise<{ rows: number }> {
    return this.target.transaction(`committing run ${this.runId}`, async (c) => {
      const run = await c.query<{ has_rows: boolean }>(
        `SELECT has_rows FROM ${this.target.qualified(RUNS)} WHERE run_id = $1 FOR UPDATE`,
        [this.runId],
      );
      const staged = await c.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [this.stage]);
      if (!run.rows[0] || !staged.rows[0]!.ok) return { rows: 0 }; // committed already
      if (run.rows[0].has_rows && !(await c.query(`SELECT 1 FROM ${this.stage} LIMIT 1`)).rowCount) {
        throw stagingLost(
          `Postgres target: the staging table of run ${this.runId} was emptied (a database crash); run it again.`,
        );
      }
      const live = this.target.qualified(this.schema.name);
      await c.query('SAVEPOINT cairn_merge');
      const merged = await c.query(mergeSql(this.stage, live, this.schema, false)).catch(async (e: unknown) => {
        if ((e as { code?: string }).code !== '21000') throw e; // not "a key staged twice"
        await c.query('ROLLBACK TO SAVEPOINT cairn_merge');
        return c.query(mergeSql(this.stage, live, this.schema, true));
      });
      await c.query(`DROP TABLE ${this.stage}`);
      await c.query(`DELETE FROM ${this.target.qualified(RUNS)} WHERE run_id = $1`, [this.runId]);
      return { rows: merged.rowCount ?? 0 };
    });
  }

  async abort(): Promise<void> {
    await this.target.transaction(`aborting run ${this.runId}`, async (c) => {
      await c.query(`DROP TABLE IF EXISTS ${this.stage}`);
      await c.query(`DELETE FROM ${this.target.qualified(RUNS)} WHERE run_id = $1`, [this.runId]);
    });
  }
}
