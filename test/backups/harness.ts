/** Real parts for backup tests: a SQLite source, the encrypted DiskObjectStore, the embedded database. */
import Database from 'better-sqlite3';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventBus } from '../../src/adapters/local/event-bus.ts';
import { LocalKeyService } from '../../src/adapters/local/key-service.ts';
import { DiskObjectStore } from '../../src/adapters/local/object-store/disk-object-store.ts';
import { UrlSigner } from '../../src/adapters/local/object-store/url-signer.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { backupsSchema } from '../../src/config/backups.ts';
import { systemClock, type Clock } from '../../src/core/clock.ts';
import type { BackupDeps } from '../../src/core/backups/context.ts';
import type { DomainEvent } from '../../src/ports/event-bus.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { createBackupService } from '../../src/runtime/local/backups.ts';

export const MASTER_KEY = randomBytes(32).toString('base64');

export async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'cairn-backups-'));
}

export async function harness(
  dir: string,
  jobs: Record<string, unknown>,
  extra: Pick<BackupDeps, 'onChunkDone'> & { clock?: Clock; leaseTtl?: number } = {},
) {
  const dataDir = join(dir, 'data');
  const keys = await LocalKeyService.open({ dataDir, masterKeyBase64: MASTER_KEY });
  const signer = new UrlSigner({ baseUrl: 'http://localhost:1', key: keys.urlSigningKey() });
  const store = await DiskObjectStore.open({ dataDir, keys, signer, namesKey: keys.objectNamesKey() });
  const db = openDatabase(join(dataDir, 'cairn.db'));
  const bus = new SqliteEventBus(db, silentLogger);
  const events: DomainEvent[] = [];
  bus.subscribe((e) => void events.push(e));
  const config = { dataDir, backups: backupsSchema.parse({ jobs, leaseTtl: extra.leaseTtl ?? 60 }) };
  const clock = extra.clock ?? systemClock;
  const service = createBackupService(
    config,
    { db, objects: store, events: bus, clock, logger: silentLogger, cwd: dir },
    { sleep: async () => {}, ...(extra.onChunkDone ? { onChunkDone: extra.onChunkDone } : {}) },
  );
  return { dataDir, store, db, events, service, config, close: () => db.close() };
}

export const cleanup = (dir: string) => rm(dir, { recursive: true, force: true });

/** `orders`: integer key, text, real, a timestamp cursor with many ties, a blob and nulls. */
export function makeOrders(
  path: string,
  count: number,
  stamp: (id: number) => string = (id) => tsOf(Math.floor(id / 250)),
) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.exec(`CREATE TABLE IF NOT EXISTS orders (
    id INTEGER PRIMARY KEY, customer TEXT NOT NULL, amount REAL, updated_at TEXT NOT NULL, payload BLOB, note TEXT)`);
  db.exec('CREATE INDEX IF NOT EXISTS orders_updated ON orders (updated_at, id)');
  const insert = db.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)');
  db.transaction(() => {
    for (let id = 1; id <= count; id++)
      insert.run(
        id,
        `customer ${id % 97}`,
        id * 1.25,
        stamp(id),
        Buffer.from([id % 256, 0, 255]),
        id % 5 === 0 ? null : `n${id}`,
      );
  })();
  return db;
}

export const tsOf = (n: number) => new Date(Date.UTC(2026, 0, 1) + n * 1000).toISOString();

/** SHA-256 of every row in key order (bytes as hex), and the row count. */
export function tableHash(path: string, table = 'orders'): { rows: number; sha256: string } {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const hash = createHash('sha256');
    let rows = 0;
    for (const row of db.prepare(`SELECT * FROM "${table}" ORDER BY id`).iterate()) {
      const r = row as Record<string, unknown>;
      hash.update(
        JSON.stringify(
          Object.keys(r)
            .sort()
            .map((k) => [k, Buffer.isBuffer(r[k]) ? (r[k] as Buffer).toString('hex') : r[k]]),
        ) + '\n',
      );
      rows += 1;
    }
    return { rows, sha256: hash.digest('hex') };
  } finally {
    db.close();
  }
}

export function ordersJob(dir: string, overrides: Record<string, unknown> = {}) {
  return {
    source: { type: 'sqlite', path: join(dir, 'legacy.db'), table: 'orders' },
    mode: 'incremental',
    cursor: { column: 'updated_at' },
    hot: { sqlite: join(dir, 'hot.db') },
    cold: { chunkRows: 100, level: 1 },
    concurrency: 3,
    retries: 1,
    ...overrides,
  };
}
