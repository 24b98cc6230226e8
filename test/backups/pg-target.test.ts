import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresSource } from '../../src/adapters/local/backups/sources/postgres.ts';
import { PostgresHotTarget, stagingTableName } from '../../src/adapters/local/backups/targets/postgres.ts';
import type { Row, TableSchema } from '../../src/ports/backups.ts';
import { startPgCluster, type PgCluster } from '../helpers/postgres.ts';
import { readAll, sortedRowsHash } from '../helpers/rows.ts';

let pg: PgCluster;
let hotUrl: string;
const closers: { close(): Promise<void> }[] = [];
const target = (o: { batchRows?: number; schema?: string } = {}) => {
  const t = new PostgresHotTarget({ url: hotUrl, ...o });
  closers.push(t);
  return t;
};
const hot = <T extends Record<string, unknown>>(sql: string, params?: unknown[]) => pg.sql<T>(sql, params, 'hot');

const schema: TableSchema = {
  name: 'orders',
  columns: [
    { name: 'id', type: 'integer', nullable: false },
    { name: 'Customer Name', type: 'text', nullable: true },
    { name: 'total', type: 'real', nullable: true },
    { name: 'paid', type: 'boolean', nullable: true },
    { name: 'at', type: 'timestamp', nullable: true },
    { name: 'doc', type: 'json', nullable: true },
    { name: 'blob', type: 'bytes', nullable: true },
  ],
  primaryKey: ['id'],
};
const order = (id: number, extra: Partial<Row> = {}): Row => ({
  id,
  'Customer Name': `customer "${id}"`,
  total: id * 1.5,
  paid: id % 2 === 0,
  at: '2024-05-01T12:00:00.123456Z',
  doc: { id, tags: ['x'] },
  blob: Buffer.from(`b${id}`).toString('base64'),
  ...extra,
});
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => order(from + i));
const count = async (table = 'orders') => (await hot<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`))[0]!.n;
const stagingTables = async () =>
  (await hot<{ t: string }>(`SELECT tablename AS t FROM pg_tables WHERE tablename LIKE '\\_cairn\\_stage\\_%'`)).map(
    (r) => r.t,
  );

beforeAll(async () => {
  pg = await startPgCluster();
  hotUrl = await pg.createDatabase('hot');
});

afterAll(async () => {
  await Promise.all(closers.map((c) => c.close()));
  await pg?.stop();
});

describe('PostgresHotTarget', () => {
  it('creates the live table from the schema, quoting identifiers, keyed by the primary key', async () => {
    await target().prepare(schema);
    const cols = await hot<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
        WHERE attrelid = 'orders'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(cols).toEqual([
      { name: 'id', type: 'bigint' },
      { name: 'Customer Name', type: 'text' },
      { name: 'total', type: 'double precision' },
      { name: 'paid', type: 'boolean' },
      { name: 'at', type: 'timestamp with time zone' },
      { name: 'doc', type: 'jsonb' },
      { name: 'blob', type: 'bytea' },
    ]);
    await target().prepare(schema); // twice is fine
  });

  it('shows a run to readers only once committed, all of it at once, then drops staging', async () => {
    const t = target({ batchRows: 7 });
    await t.prepare(schema);
    const run = await t.beginRun('run-1', schema);
    await run.write(range(1, 50));
    await run.write(range(51, 100));
    expect(await count()).toBe(0);
    expect(await stagingTables()).toEqual(['_cairn_stage_run_1']);
    expect(await run.commit()).toEqual({ rows: 100 });
    expect(await count()).toBe(100);
    expect(await stagingTables()).toEqual([]);
    const [row] = await hot(
      `SELECT "Customer Name" AS name, at, doc, encode(blob, 'escape') AS blob FROM orders WHERE id = 7`,
    );
    expect(row).toEqual({
      name: 'customer "7"',
      at: new Date('2024-05-01T12:00:00.123Z'),
      doc: { id: 7, tags: ['x'] },
      blob: 'b7',
    });
  });

  it('upserts by key: changed rows replaced, new rows added, others kept', async () => {
    const t = target();
    const run = await t.beginRun('run-2', schema);
    await run.write([order(5, { total: 999 }), order(101)]);
    expect(await run.commit()).toEqual({ rows: 2 });
    expect(await count()).toBe(101);
    expect(await hot(`SELECT total FROM orders WHERE id = 5`)).toEqual([{ total: 999 }]);
  });

  it('keeps the staged rows when a run begins again after a crash, and takes a chunk written twice once', async () => {
    const first = target();
    const run = await first.beginRun('run-3', schema);
    await run.write(range(200, 299));
    await first.close(); // the process died here
    const again = await target().beginRun('run-3', schema);
    // The chunk in flight is written again, overlapping, with newer values: the last copy wins.
    await again.write(range(250, 349).map((r) => ({ ...r, total: 777 })));
    expect(await again.commit()).toEqual({ rows: 150 });
    expect(await count()).toBe(101 + 150);
    expect(await hot(`SELECT id::int, total FROM orders WHERE id IN (249, 260) ORDER BY id`)).toEqual([
      { id: 249, total: 373.5 },
      { id: 260, total: 777 },
    ]);
    expect(await again.commit()).toEqual({ rows: 0 }); // committing twice changes nothing
  });

  it('drops staging on abort, leaving the live table as it was', async () => {
    const run = await target().beginRun('run-4', schema);
    await run.write(range(1000, 1010));
    await run.abort();
    expect(await stagingTables()).toEqual([]);
    expect(await count()).toBe(251);
  });

  it('applies nothing when the commit fails half-way', async () => {
    await hot(`ALTER TABLE orders ADD CONSTRAINT small_total CHECK (total < 100000)`);
    const run = await target().beginRun('run-5', schema);
    await run.write([order(1, { total: 1 }), order(2000, { total: 1e9 })]);
    await expect(run.commit()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_HOT_TARGET_FAILED',
      message: expect.stringMatching(/small_total/),
    });
    expect(await hot(`SELECT total FROM orders WHERE id = 1`)).toEqual([{ total: 1.5 }]);
    expect(await count()).toBe(251);
    await run.abort();
    await hot(`ALTER TABLE orders DROP CONSTRAINT small_total`);
  });

  it('widens the live table when the source grows: new columns, int to real, a type change to text', async () => {
    await hot(`CREATE TABLE grow (id bigint PRIMARY KEY, n int, flag boolean NOT NULL)`);
    await hot(`INSERT INTO grow VALUES (1, 10, true)`);
    const wider: TableSchema = {
      name: 'grow',
      primaryKey: ['id'],
      columns: [
        { name: 'id', type: 'integer', nullable: false },
        { name: 'n', type: 'real', nullable: true },
        { name: 'flag', type: 'json', nullable: true },
        { name: 'note', type: 'text', nullable: true },
      ],
    };
    const t = target();
    await t.prepare(wider);
    const run = await t.beginRun('grow-1', wider);
    await run.write([{ id: 2, n: 2.5, flag: { deep: true }, note: 'new' }]);
    await run.commit();
    expect(await hot(`SELECT * FROM grow ORDER BY id`)).toEqual([
      { id: '1', n: 10, flag: 'true', note: null },
      { id: '2', n: 2.5, flag: '{"deep": true}', note: 'new' },
    ]);
    await expect(t.prepare({ ...wider, primaryKey: ['note'] })).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_HOT_TARGET_INVALID',
    });
  });

  it('refuses to commit a run whose unlogged staging a database crash emptied', async () => {
    const run = await target().beginRun('run-6', schema);
    await run.write(range(3000, 3010));
    await pg.crash();
    await pg.restart();
    await expect(target().beginRun('run-6', schema)).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_STAGING_LOST',
      kind: 'conflict',
    });
    await expect(run.commit()).rejects.toMatchObject({ code: 'CAIRN_BACKUP_STAGING_LOST' });
    await run.abort();
    expect(await count()).toBe(251);
  });

  it('fingerprints a table by its rows, whatever their order', async () => {
    const t = target();
    const other: TableSchema = { ...schema, name: 'orders_copy' };
    await t.prepare(other);
    const run = await t.beginRun('copy', other);
    const live = new PostgresSource({ url: hotUrl, table: 'orders' });
    closers.push(live);
    await run.write((await readAll(live)).reverse());
    await run.commit();
    const a = await t.fingerprint('orders');
    expect(a.rows).toBe(251);
    expect(await t.fingerprint('orders_copy')).toEqual(a);
    await hot(`UPDATE orders_copy SET paid = NOT paid WHERE id = 42`);
    expect((await t.fingerprint('orders_copy')).sha256).not.toBe(a.sha256);
    await expect(t.fingerprint('missing')).rejects.toMatchObject({ code: 'CAIRN_BACKUP_HOT_TARGET_INVALID' });
  });

  it('names staging tables safely, within Postgres identifier length', () => {
    expect(stagingTableName('2024-05-01T12:00:00Z')).toBe('_cairn_stage_2024_05_01T12_00_00Z');
    expect(stagingTableName('x'.repeat(100)).length).toBeLessThanOrEqual(63);
  });

  it('holds, row for row, what a Postgres source holds after a run of every chunk', async () => {
    await pg.sql(
      `CREATE TABLE src (id int PRIMARY KEY, name varchar(40), price numeric(10,2), at timestamptz, doc json, raw bytea)`,
    );
    await pg.sql(`INSERT INTO src SELECT g, 'n' || g, g * 0.5, now() - g * interval '1 hour', json_build_object('g', g, 'a', 1),
                  sha256(g::text::bytea) FROM generate_series(1, 5000) g`);
    const source = new PostgresSource({ url: pg.url, table: 'src' });
    closers.push(source);
    const t = target();
    const s = await source.describe();
    await t.prepare(s);
    const run = await t.beginRun('e2e', s);
    const req = { mode: 'full' as const, cursor: null, chunkRows: 700 };
    const chunks = await source.plan(req);
    await Promise.all(
      chunks.map(async (c) => {
        for await (const batch of source.read(c, req)) await run.write(batch);
      }),
    );
    expect(await run.commit()).toEqual({ rows: 5000 });
    const copy = new PostgresSource({ url: hotUrl, table: 'src' });
    closers.push(copy);
    expect(await sortedRowsHash(copy)).toEqual(await sortedRowsHash(source));
    expect((await readAll(copy)).length).toBe(5000);
  });
});
