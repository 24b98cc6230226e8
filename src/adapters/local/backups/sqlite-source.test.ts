import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PlanRequest, Row } from '../../../ports/backups.ts';
import { SqliteHotTarget, sqliteFingerprint } from './sqlite-hot-target.ts';
import { SqliteSource } from './sqlite-source.ts';

async function readAll(source: SqliteSource, request: PlanRequest) {
  const chunks = await source.plan(request);
  const rows: Row[] = [];
  for (const c of chunks) for await (const batch of source.read(c, request)) rows.push(...batch);
  return { chunks, rows };
}

describe('the SQLite source', () => {
  let dir: string;
  let path: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-sqlite-src-'));
    path = join(dir, 'src.db');
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('chunks a composite key by (cursor, key) ranges: every row once, ties split across chunks', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE lines (region TEXT, n INTEGER, v INTEGER, PRIMARY KEY (region, n))');
    const put = db.prepare('INSERT INTO lines VALUES (?, ?, ?)');
    db.transaction(() => {
      for (let n = 0; n < 350; n++) put.run(n % 2 ? 'eu' : 'us', n, Math.floor(n / 100));
    })();
    db.close();
    const source = new SqliteSource({ path, table: 'lines', batchRows: 40 });
    expect(await source.describe()).toMatchObject({ primaryKey: ['region', 'n'] });
    const { chunks, rows } = await readAll(source, {
      mode: 'incremental',
      cursor: { column: 'v', after: null },
      chunkRows: 100,
    });
    expect(chunks.map((c) => c.label)).toHaveLength(4);
    expect(rows).toHaveLength(350);
    expect(new Set(rows.map((r) => `${r.region}/${r.n}`)).size).toBe(350);
    const after = { value: 1, key: ['us', 198] }; // strictly after this position
    const next = await readAll(source, { mode: 'incremental', cursor: { column: 'v', after }, chunkRows: 100 });
    expect(next.rows.filter((r) => r.v === 1).map((r) => `${r.region}/${r.n}`)).toEqual([]);
    expect(next.rows).toHaveLength(150);
  });

  it('reads a query with a named key, and keeps NULL cursors in full runs', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, at TEXT, x TEXT)');
    db.pragma('synchronous = OFF');
    for (let i = 1; i <= 10; i++)
      db.prepare('INSERT INTO t VALUES (?, ?, ?)').run(i, i % 3 ? `2026-01-0${(i % 9) + 1}` : null, `x${i}`);
    db.close();
    const full = await readAll(new SqliteSource({ path, table: 't' }), {
      mode: 'full',
      cursor: { column: 'at', after: null },
      chunkRows: 4,
    });
    expect(full.rows.map((r) => r.id)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const q = new SqliteSource({
      path,
      query: 'SELECT id AS k, upper(x) AS big FROM t WHERE id > 5',
      primaryKey: ['k'],
    });
    expect(await q.describe()).toMatchObject({
      columns: [
        { name: 'k', type: 'integer' },
        { name: 'big', type: 'text' },
      ],
    });
    expect((await readAll(q, { mode: 'full', cursor: null, chunkRows: 2 })).rows).toEqual(
      [6, 7, 8, 9, 10].map((k) => ({ k, big: `X${k}` })),
    );
  });

  it('carries integers beyond 2^53 as text and blobs as base64, and the hot target stores them back exactly', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE big (id INTEGER PRIMARY KEY, b BLOB, r REAL)');
    db.prepare('INSERT INTO big VALUES (?, ?, ?)').run(2n ** 62n + 1n, Buffer.from([0, 1, 254]), 0.1);
    db.prepare('INSERT INTO big VALUES (?, ?, ?)').run(7, null, null);
    db.close();
    const source = new SqliteSource({ path, table: 'big' });
    const { rows } = await readAll(source, { mode: 'full', cursor: null, chunkRows: 100 });
    expect(rows).toEqual([
      { id: 7, b: null, r: null },
      { id: '4611686018427387905', b: 'AAH+', r: 0.1 },
    ]);
    const hot = new SqliteHotTarget(join(dir, 'hot.db'));
    const schema = { ...(await source.describe()) };
    await hot.prepare(schema);
    const w = await hot.beginRun('r1', schema);
    await w.write(rows);
    expect(await w.commit()).toEqual({ rows: 2 });
    const fp = await hot.fingerprint('big');
    await hot.close();
    const srcDb = new Database(path, { readonly: true });
    expect(fp).toEqual(sqliteFingerprint(srcDb, 'big'));
    srcDb.close();
  });

  it('refuses a table without a primary key, and reports a missing database as unavailable', async () => {
    const db = new Database(path);
    db.exec('CREATE TABLE loose (a TEXT)');
    db.close();
    await expect(new SqliteSource({ path, table: 'loose' }).describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
    });
    await expect(new SqliteSource({ path, table: 'nope' }).describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
    });
    await expect(new SqliteSource({ path: join(dir, 'gone.db'), table: 't' }).describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
    });
  });
});
