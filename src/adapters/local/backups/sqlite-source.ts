/**
 * A SQLite database as a backup source: opened read-only, one connection per chunk (an open iterator
 * keeps its connection busy), rows streamed with `.iterate()` in batches. Chunks are key ranges:
 * by primary key for full runs, by (cursor, primary key) for incremental ones, with boundaries found by
 * a window query so planning never loads the table. Every chunk stops at the (cursor, key) maximum seen
 * at plan time (see the RowSource port).
 */
import Database from 'better-sqlite3';
import type { ChunkSpec, CursorPosition, PlanRequest, Row, RowSource, TableSchema } from '../../../ports/backups.ts';
import { sourceInvalid, sourceUnavailable } from '../../../core/backups/errors.ts';
import { isCairnError } from '../../../core/errors.ts';
import { bounds, type ChunkParams, chunkWhere } from './sqlite-source-plan.ts';
import { columnTypeOf, columnTypeOfValue, fromSqlite, quoteIdent, rowFromSqlite } from './sqlite-values.ts';

export interface SqliteSourceOptions {
  path: string;
  table?: string;
  query?: string;
  primaryKey?: string[];
  /** Rows per yielded batch. */
  batchRows?: number;
}

export class SqliteSource implements RowSource {
  readonly kind = 'rows' as const;
  private schema: TableSchema | null = null;

  constructor(private readonly options: SqliteSourceOptions) {
    if (!options.table === !options.query) throw sourceInvalid('A SQLite source needs exactly one of table or query.');
  }

  /** The rows as a relation: the table, or the query as a subquery. */
  private get relation(): string {
    return this.options.table ? quoteIdent(this.options.table) : `(${this.options.query}) AS q`;
  }

  private open(): Database.Database {
    try {
      const db = new Database(this.options.path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
      return db;
    } catch (e) {
      throw sourceUnavailable(`The SQLite source ${this.options.path} cannot be opened: ${(e as Error).message}`, e);
    }
  }

  private use<T>(fn: (db: Database.Database) => T): T {
    const db = this.open();
    try {
      return fn(db);
    } catch (e) {
      if (isCairnError(e)) throw e;
      throw sourceUnavailable(`The SQLite source ${this.options.path} failed: ${(e as Error).message}`, e);
    } finally {
      db.close();
    }
  }

  async describe(): Promise<TableSchema> {
    if (this.schema) return this.schema;
    this.schema = this.use((db) => (this.options.table ? this.describeTable(db) : this.describeQuery(db)));
    return this.schema;
  }

  private describeTable(db: Database.Database): TableSchema {
    const table = this.options.table!;
    const info = db.prepare(`SELECT * FROM pragma_table_info(?)`).all(table) as {
      name: string;
      type: string;
      notnull: number;
      pk: number;
    }[];
    if (info.length === 0) throw sourceInvalid(`The SQLite source has no table "${table}".`);
    const pk = info
      .filter((c) => c.pk > 0)
      .sort((a, b) => a.pk - b.pk)
      .map((c) => c.name);
    const primaryKey = this.options.primaryKey ?? pk;
    if (primaryKey.length === 0)
      throw sourceInvalid(`Table "${table}" has no primary key: name the key columns in source.primaryKey.`);
    const columns = info.map((c) => ({
      name: c.name,
      type: columnTypeOf(c.type) ?? 'text',
      nullable: c.notnull === 0 && c.pk === 0,
    }));
    return { name: table, columns, primaryKey };
  }

  private describeQuery(db: Database.Database): TableSchema {
    const stmt = db.prepare(`SELECT * FROM ${this.relation} LIMIT 100`).safeIntegers(true);
    const sample = stmt.all() as Record<string, unknown>[];
    const columns = stmt.columns().map((c) => {
      const seen = sample.map((r) => r[c.name]).find((v) => v !== null && v !== undefined);
      return { name: c.name, type: columnTypeOf(c.type) ?? columnTypeOfValue(seen), nullable: true };
    });
    const primaryKey = this.options.primaryKey ?? [];
    const missing = primaryKey.filter((k) => !columns.some((c) => c.name === k));
    if (missing.length > 0) throw sourceInvalid(`The query has no column ${missing.join(', ')} (source.primaryKey).`);
    return { name: 'query', columns, primaryKey };
  }

  async plan(request: PlanRequest): Promise<ChunkSpec[]> {
    const schema = await this.describe();
    return this.use((db) => bounds(db, this.relation, schema, request));
  }

  async *read(chunk: ChunkSpec, request: PlanRequest): AsyncIterable<Row[]> {
    const schema = await this.describe();
    const params = chunk.params as unknown as ChunkParams;
    const { where, args, order } = chunkWhere(schema, request, params);
    const db = this.open();
    let rows: IterableIterator<unknown> | undefined;
    try {
      const sql = `SELECT * FROM ${this.relation}${where ? ` WHERE ${where}` : ''} ORDER BY ${order}`;
      rows = db
        .prepare(sql)
        .safeIntegers(true)
        .iterate(...args);
      const size = this.options.batchRows ?? 1000;
      let batch: Row[] = [];
      for (;;) {
        let next: IteratorResult<unknown>;
        try {
          next = rows.next();
        } catch (e) {
          throw sourceUnavailable(
            `Reading ${chunk.label} from ${this.options.path} failed: ${(e as Error).message}`,
            e,
          );
        }
        if (next.done) break;
        batch.push(rowFromSqlite(next.value as Record<string, unknown>));
        if (batch.length >= size) {
          yield batch;
          batch = [];
        }
      }
      if (batch.length > 0) yield batch;
    } catch (e) {
      if (isCairnError(e)) throw e;
      throw sourceUnavailable(`Reading ${chunk.label} from ${this.options.path} failed: ${(e as Error).message}`, e);
    } finally {
      rows?.return?.();
      db.close();
    }
  }

  async close(): Promise<void> {}
}

export const positionFromSqlite = (row: unknown[]): CursorPosition => ({
  value: fromSqlite(row[0]),
  key: row.slice(1).map(fromSqlite),
});
