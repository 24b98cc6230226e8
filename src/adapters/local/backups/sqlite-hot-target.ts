/**
 * A SQLite database as the hot target (the embedded default). A run writes into its own staging table
 * `_cairn_stage_<runId>` (upserting, so retried chunks leave no duplicates, and durable, so a resumed run
 * finds what the dead process wrote), then commit() upserts the staging table into the live table and
 * drops it in one transaction: readers see the whole run or none of it.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createHash } from 'node:crypto';
import type { HotRunWriter, HotTarget, Row, TableSchema } from '../../../ports/backups.ts';
import { hotTargetUnavailable } from '../../../core/backups/errors.ts';
import { DECLARED, columnTypes, fromSqlite, identList, quoteIdent, toSqlite } from './sqlite-values.ts';

const stageName = (runId: string) => `_cairn_stage_${runId.replace(/[^A-Za-z0-9_]/g, '_')}`;

function createSql(table: string, schema: TableSchema): string {
  const cols = schema.columns.map((c) => `${quoteIdent(c.name)} ${DECLARED[c.type]}`);
  const pk = schema.primaryKey.length > 0 ? `, PRIMARY KEY (${identList(schema.primaryKey)})` : '';
  return `CREATE TABLE IF NOT EXISTS ${quoteIdent(table)} (${cols.join(', ')}${pk})`;
}

export class SqliteHotTarget implements HotTarget {
  private readonly db: Database.Database;

  constructor(readonly path: string) {
    try {
      if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new Database(path);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = FULL');
      this.db.pragma('busy_timeout = 5000');
    } catch (e) {
      throw hotTargetUnavailable(`The hot SQLite database ${path} cannot be opened: ${(e as Error).message}`, e);
    }
  }

  private columnsOf(table: string): string[] {
    return (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]) ?? [];
  }

  async prepare(schema: TableSchema): Promise<void> {
    this.db.transaction(() => {
      this.db.exec(createSql(schema.name, schema));
      const have = new Set(this.columnsOf(schema.name));
      for (const c of schema.columns) {
        if (!have.has(c.name))
          this.db.exec(`ALTER TABLE ${quoteIdent(schema.name)} ADD COLUMN ${quoteIdent(c.name)} ${DECLARED[c.type]}`);
      }
    })();
  }

  async beginRun(runId: string, schema: TableSchema): Promise<HotRunWriter> {
    const { db } = this;
    const stage = stageName(runId);
    db.exec(createSql(stage, { ...schema, name: stage }));
    const names = schema.columns.map((c) => c.name);
    const types = columnTypes(schema);
    const insert = db.prepare(
      `INSERT OR REPLACE INTO ${quoteIdent(stage)} (${identList(names)}) VALUES (${names.map(() => '?').join(', ')})`,
    );
    const writeAll = db.transaction((rows: Row[]) => {
      for (const row of rows) insert.run(names.map((n) => toSqlite(row[n], types.get(n))));
    });
    const live = quoteIdent(schema.name);
    const pk = schema.primaryKey;
    const updates = names.filter((n) => !pk.includes(n)).map((n) => `${quoteIdent(n)} = excluded.${quoteIdent(n)}`);
    const upsert =
      pk.length === 0
        ? ''
        : updates.length === 0
          ? ` ON CONFLICT (${identList(pk)}) DO NOTHING`
          : ` ON CONFLICT (${identList(pk)}) DO UPDATE SET ${updates.join(', ')}`;
    return {
      write: async (rows) => {
        writeAll(rows);
      },
      commit: async () =>
        db.transaction(() => {
          const rows = db
            .prepare(`SELECT count(*) FROM ${quoteIdent(stage)}`)
            .pluck()
            .get() as number;
          db.exec(
            `INSERT INTO ${live} (${identList(names)}) SELECT ${identList(names)} FROM ${quoteIdent(stage)} WHERE true${upsert}`,
          );
          db.exec(`DROP TABLE ${quoteIdent(stage)}`);
          return { rows };
        })(),
      abort: async () => {
        db.exec(`DROP TABLE IF EXISTS ${quoteIdent(stage)}`);
      },
    };
  }

  async fingerprint(table: string): Promise<{ rows: number; sha256: string }> {
    return sqliteFingerprint(this.db, table);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * Row count and an order-independent hash: the XOR of each row's SHA-256 over its canonical JSON (keys
 * sorted, bytes as base64, big integers as text). Equal tables give equal fingerprints whatever their order.
 */
export function sqliteFingerprint(db: Database.Database, table: string): { rows: number; sha256: string } {
  const acc = Buffer.alloc(32);
  let rows = 0;
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(table);
  if (!exists) return { rows: 0, sha256: acc.toString('hex') };
  for (const raw of db
    .prepare(`SELECT * FROM ${quoteIdent(table)}`)
    .safeIntegers(true)
    .iterate()) {
    const row = raw as Record<string, unknown>;
    const canonical = Object.keys(row)
      .sort()
      .map((k) => [k, fromSqlite(row[k])]);
    const digest = createHash('sha256').update(JSON.stringify(canonical)).digest();
    for (let i = 0; i < 32; i++) acc[i] = acc[i]! ^ digest[i]!;
    rows += 1;
  }
  return { rows, sha256: acc.toString('hex') };
}
