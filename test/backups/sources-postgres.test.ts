import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isoUtc } from '../../src/adapters/local/backups/postgres/types.ts';
import { PostgresSource, type PostgresSourceOptions } from '../../src/adapters/local/backups/sources/postgres.ts';
import type { PlanRequest } from '../../src/ports/backups.ts';
import { freePort } from '../helpers/child-server.ts';
import { startPgCluster, type PgCluster } from '../helpers/postgres.ts';
import { readAll } from '../helpers/rows.ts';

let pg: PgCluster;
const sources: PostgresSource[] = [];
const source = (o: Partial<PostgresSourceOptions>) => {
  const s = new PostgresSource({ url: pg.url, ...o });
  sources.push(s);
  return s;
};
const full = (chunkRows = 1000): PlanRequest => ({ mode: 'full', cursor: null, chunkRows });
const incremental = (after: { value: unknown; key: unknown[] } | null, chunkRows = 1000): PlanRequest => ({
  mode: 'incremental',
  cursor: { column: 'updated_at', after },
  chunkRows,
});

beforeAll(async () => {
  pg = await startPgCluster();
  await pg.sql(`CREATE TABLE items (
    id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, name text, qty int, price numeric(12,2), doc jsonb,
    raw bytea, ok bool, tags text[], ratio float8, local_ts timestamp, day date, "Odd Name" varchar(20))`);
  await pg.sql(`INSERT INTO items
    SELECT g, '2024-01-01T00:00:00Z'::timestamptz + (g / 10) * interval '1 minute' + interval '0.000123 second',
           'item ' || g, g % 7, g * 1.25, jsonb_build_object('g', g, 'even', g % 2 = 0), decode('00ff10', 'hex'),
           g % 2 = 0, ARRAY['a', 'b'], g / 4.0, '2024-03-01 10:00:00', '2024-02-29', 'x' || g
      FROM generate_series(1, 1000) g`);
  await pg.sql(`CREATE TABLE pairs (region text, n int, v text, PRIMARY KEY (region, n))`);
  await pg.sql(`INSERT INTO pairs SELECT 'r' || (g % 4), g, 'v' FROM generate_series(1, 250) g`);
  await pg.sql(`CREATE TABLE nokey (a int)`);
});

afterAll(async () => {
  await Promise.all(sources.map((s) => s.close()));
  await pg?.stop();
});

describe('PostgresSource', () => {
  it('describes a table: column types mapped, the primary key found in the catalog', async () => {
    const schema = await source({ table: 'items' }).describe();
    expect(schema.name).toBe('items');
    expect(schema.primaryKey).toEqual(['id']);
    expect(Object.fromEntries(schema.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'integer',
      updated_at: 'timestamp',
      name: 'text',
      qty: 'integer',
      price: 'text',
      doc: 'json',
      raw: 'bytes',
      ok: 'boolean',
      tags: 'json',
      ratio: 'real',
      local_ts: 'timestamp',
      day: 'text',
      'Odd Name': 'text',
    });
    expect(schema.columns.find((c) => c.name === 'updated_at')!.nullable).toBe(false);
    expect(schema.columns.find((c) => c.name === 'name')!.nullable).toBe(true);
  });

  it('reads values as plain JSON: UTC ISO timestamps with microseconds, base64 bytes, exact decimals', async () => {
    const rows = await readAll(source({ table: 'items' }));
    const row = rows.find((r) => r.id === 15)!;
    expect(row).toEqual({
      id: 15,
      updated_at: '2024-01-01T00:01:00.000123Z',
      name: 'item 15',
      qty: 1,
      price: '18.75',
      doc: { g: 15, even: false },
      raw: Buffer.from([0, 255, 16]).toString('base64'),
      ok: false,
      tags: ['a', 'b'],
      ratio: 3.75,
      local_ts: '2024-03-01T10:00:00.000000Z',
      day: '2024-02-29',
      'Odd Name': 'x15',
    });
  });

  it('keeps edge values exact: int8 past 2^53 as text, NaN as null, infinity, long bytes, quotes, newlines', async () => {
    await pg.sql(
      `CREATE TABLE edges (id int8 PRIMARY KEY, f float8, at timestamptz, b bytea, t text, "we""ird" json, n int)`,
    );
    const text = 'it\'s "quoted",\n\\n \x02\x01 ✓';
    await pg.sql(
      `INSERT INTO edges VALUES (9007199254740993, 'NaN', 'infinity', decode(repeat('ab', 100), 'hex'), $1, $2, NULL)`,
      [text, '{\n  "a": [1,\n 2]\n}'],
    );
    const [row] = await readAll(source({ table: 'edges' }));
    expect(row).toEqual({
      id: '9007199254740993',
      f: null,
      at: 'infinity',
      b: Buffer.alloc(100, 0xab).toString('base64'),
      t: text,
      'we"ird': { a: [1, 2] },
      n: null,
    });
  });

  it('splits a full run into key ranges that together hold every row exactly once', async () => {
    const s = source({ table: 'items' });
    const chunks = await s.plan(full(300));
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((c) => c.index)).toEqual(chunks.map((_, i) => i));
    const ids = (await readAll(s, full(300))).map((r) => r.id as number);
    expect(ids.length).toBe(1000);
    expect(new Set(ids).size).toBe(1000);
  });

  it('samples boundaries of a composite text key', async () => {
    const s = source({ table: 'pairs' });
    const chunks = await s.plan(full(60));
    expect(chunks.length).toBe(5);
    expect(chunks[1]!.label).toMatch(/^region, n in \[/);
    const keys = (await readAll(s, full(60))).map((r) => `${r.region}/${r.n}`);
    expect(keys.length).toBe(250);
    expect(new Set(keys).size).toBe(250);
  });

  it('streams a chunk in bounded batches instead of loading it whole', async () => {
    const s = source({ table: 'items', fetchRows: 64 });
    const [chunk] = await s.plan(full(10_000));
    const sizes: number[] = [];
    for await (const batch of s.read(chunk!, full(10_000))) sizes.push(batch.length);
    expect(sizes.length).toBeGreaterThanOrEqual(16);
    expect(Math.max(...sizes)).toBe(64);
    expect(sizes.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('reads incrementally after (cursor, key) in cursor order: ties are neither repeated nor skipped', async () => {
    const s = source({ table: 'items' });
    // Rows 10..19 share one updated_at; the last run stopped inside that tie, at id 14.
    const tie = (await readAll(s)).find((r) => r.id === 14)!.updated_at;
    const req = incremental({ value: tie, key: [14] }, 200);
    const chunks = await s.plan(req);
    expect(chunks.length).toBe(5);
    const rows = await readAll(s, req);
    expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 1000 - 14 }, (_, i) => i + 15));
  });

  it('plans no chunk when nothing changed since the cursor, and picks up an update', async () => {
    const s = source({ table: 'items' });
    const last = (await readAll(s)).find((r) => r.id === 1000)!;
    const after = { value: last.updated_at, key: [1000] };
    expect(await s.plan(incremental(after))).toEqual([]);
    await pg.sql(`UPDATE items SET updated_at = '2030-01-01T00:00:00Z', name = 'changed' WHERE id = 3`);
    const rows = await readAll(s, incremental(after));
    expect(rows.map((r) => [r.id, r.name])).toEqual([[3, 'changed']]);
    await pg.sql(`UPDATE items SET updated_at = '2024-01-01T00:00:00.000123Z', name = 'item 3' WHERE id = 3`);
  });

  it('reads a query, given its key and a target name', async () => {
    expect(() => source({ query: 'SELECT id FROM items' })).toThrow(/needs name/);
    await expect(source({ query: 'SELECT id FROM items', name: 'q' }).describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
    });
    const s = source({ query: 'SELECT id, name FROM items WHERE qty = 0;', primaryKey: ['id'], name: 'sevens' });
    expect((await s.describe()).columns).toEqual([
      { name: 'id', type: 'integer', nullable: false },
      { name: 'name', type: 'text', nullable: true },
    ]);
    const rows = await readAll(s, full(50));
    expect(rows.length).toBe(142);
    expect(rows.every((r) => (r.id as number) % 7 === 0)).toBe(true);
  });

  it('refuses a missing table and a table without a primary key, saying why', async () => {
    await expect(source({ table: 'nope' }).describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
      message: expect.stringMatching(/no table or view named nope/),
    });
    await expect(source({ table: 'nokey' }).describe()).rejects.toThrow(/has no primary key/);
  });

  it('reads in a read-only transaction: a query that writes is refused', async () => {
    await pg.sql(`CREATE TABLE audit (n int)`);
    await pg.sql(
      `CREATE FUNCTION touch() RETURNS int LANGUAGE sql VOLATILE AS $$ INSERT INTO audit VALUES (1) RETURNING 1 $$`,
    );
    const s = source({ query: 'SELECT id, touch() AS t FROM items', primaryKey: ['id'], name: 'w' });
    await expect(readAll(s)).rejects.toMatchObject({ message: expect.stringMatching(/read-only transaction/) });
    expect(await pg.sql('SELECT count(*)::int AS n FROM audit')).toEqual([{ n: 0 }]);
  });

  it('cancels a statement that runs past the timeout', async () => {
    const s = source({
      query: 'SELECT id, pg_sleep(0.5) AS z FROM items',
      primaryKey: ['id'],
      name: 'slow',
      statementTimeoutMs: 300,
    });
    await expect(readAll(s)).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      kind: 'unavailable',
      message: expect.stringMatching(/statement timeout/),
    });
  });

  it('fails clearly, without hanging, when nothing listens at the URL', async () => {
    const s = new PostgresSource({
      url: `postgres://cairn@127.0.0.1:${await freePort()}/cairn`,
      table: 'items',
      connectTimeoutMs: 2000,
    });
    sources.push(s);
    await expect(s.describe()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      message: expect.stringMatching(/^Postgres source 127\.0\.0\.1:\d+\/cairn: connecting: .*ECONNREFUSED/),
    });
  });

  it('fails the read cleanly when the server goes away mid-chunk, and reads again once it is back', async () => {
    await pg.sql(
      `CREATE TABLE big AS SELECT g AS id, repeat(md5(g::text), 6) AS pad FROM generate_series(1, 300000) g`,
    );
    await pg.sql(`ALTER TABLE big ADD PRIMARY KEY (id)`);
    const s = source({ table: 'big', fetchRows: 1000 });
    const [chunk] = await s.plan(full(1_000_000));
    let seen = 0;
    const reading = (async () => {
      for await (const batch of s.read(chunk!, full(1_000_000))) {
        if (seen === 0) await pg.crash();
        seen += batch.length;
      }
    })();
    const err = await reading.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE', kind: 'unavailable' });
    expect(String((err as Error).message)).toMatch(/reading chunk id: all: .*went away/);
    expect(seen).toBeLessThan(300_000);
    await pg.restart();
    expect((await readAll(s)).length).toBe(300_000);
  });
});

describe('timestamps from Postgres', () => {
  it('become UTC ISO 8601 with six fraction digits, so that their text sorts as time does', () => {
    expect(isoUtc('2024-05-01 12:00:00+00')).toBe('2024-05-01T12:00:00.000000Z');
    expect(isoUtc('2024-05-01 12:00:00.12+00')).toBe('2024-05-01T12:00:00.120000Z');
    expect(isoUtc('2024-05-01 12:00:00.123456+00')).toBe('2024-05-01T12:00:00.123456Z');
    expect(isoUtc('2024-05-01 12:00:00+00') < isoUtc('2024-05-01 12:00:00.5+00')).toBe(true);
    expect(isoUtc('infinity')).toBe('infinity');
  });
});
