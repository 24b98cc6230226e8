import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cleanup, harness, makeOrders, ordersJob, tableHash, tempDir, tsOf } from './harness.ts';

describe('a SQLite job backed up into SQLite hot and encrypted cold storage', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => cleanup(dir));

  it('runs full then incremental, neither duplicating nor skipping rows tied on the cursor, and restores either state', async () => {
    const legacy = join(dir, 'legacy.db');
    const src = makeOrders(legacy, 1000); // 250 rows share each updated_at: ties straddle every chunk boundary
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const full = await (await h.service.start('orders')).done;
      expect(full).toMatchObject({ status: 'succeeded', mode: 'full', rows: 1000, chunksTotal: 10 });
      const afterFull = tableHash(legacy);
      expect(tableHash(join(dir, 'hot.db'))).toEqual(afterFull);
      expect(full.cursorTo).toEqual({ value: tsOf(4), key: [1000] });

      // Rows tied with the committed cursor value: those before it in key order were backed up, those after not.
      src.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)').run(1001, 'late', 1, tsOf(4), null, 'tie');
      src.prepare('UPDATE orders SET amount = -amount WHERE id = 999').run(); // same updated_at: an unchanged cursor is not seen
      const bump = src.prepare('UPDATE orders SET updated_at = ?, note = ? WHERE id = ?');
      src.transaction(() => {
        for (let id = 100; id < 400; id += 2) bump.run(tsOf(10), 'changed', id); // 150 rows, one tied value
        for (let id = 1002; id <= 1120; id++)
          src.prepare('INSERT INTO orders VALUES (?, ?, ?, ?, ?, ?)').run(id, 'new', id, tsOf(10), null, null);
      })();
      src.prepare('UPDATE orders SET amount = 999 WHERE id = 999').run();
      src.prepare('UPDATE orders SET updated_at = ? WHERE id = 999').run(tsOf(11));

      const inc = await (await h.service.start('orders')).done;
      expect(inc).toMatchObject({ status: 'succeeded', mode: 'incremental', rows: 1 + 150 + 119 + 1 });
      expect(inc.plan.basedOn).toBe(full.id);
      expect(inc.cursorFrom).toEqual(full.cursorTo);
      expect(inc.cursorTo).toEqual({ value: tsOf(11), key: [999] });
      const afterInc = tableHash(legacy);
      expect(tableHash(join(dir, 'hot.db'))).toEqual(afterInc);

      const quiet = await (await h.service.start('orders')).done;
      expect(quiet).toMatchObject({ status: 'succeeded', mode: 'incremental', rows: 0, chunksTotal: 0 });

      const asOfInc = await h.service.restore('orders', inc.id, {
        kind: 'table',
        target: await hot(dir, 'r1.db'),
        table: 'orders',
        label: 'r1',
      });
      expect(asOfInc).toMatchObject({ runs: [full.id, inc.id], rows: 1120 });
      expect(tableHash(join(dir, 'r1.db'))).toEqual(afterInc);

      await h.service.restore('orders', full.id, {
        kind: 'table',
        target: await hot(dir, 'r2.db'),
        table: 'orders',
        label: 'r2',
      });
      expect(tableHash(join(dir, 'r2.db'))).toEqual(afterFull);

      const reports = await h.service.verify('orders');
      expect(reports.map((r) => r.ok)).toEqual([true, true, true]);
      expect(h.events.filter((e) => e.type.startsWith('backup.'))).toEqual([]); // onSuccess is off by default
    } finally {
      src.close();
      h.close();
    }
  });

  it('publishes backup.finished when notify.onSuccess is on, with rows, bytes and duration', async () => {
    makeOrders(join(dir, 'legacy.db'), 300).close();
    const h = await harness(dir, { orders: ordersJob(dir, { notify: { onSuccess: true } }) });
    try {
      const run = await (await h.service.start('orders')).done;
      const [event] = h.events;
      expect(event).toMatchObject({
        type: 'backup.finished',
        data: { job: 'orders', runId: run.id, rows: 300, status: 'succeeded' },
      });
      expect(event!.data.bytes).toBeGreaterThan(0);
    } finally {
      h.close();
    }
  });

  it('refuses to restore into a table that already holds rows unless asked to merge', async () => {
    makeOrders(join(dir, 'legacy.db'), 200).close();
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const run = await (await h.service.start('orders')).done;
      const to = { kind: 'table' as const, target: await hot(dir, 'hot.db'), table: 'orders', label: 'hot' };
      await expect(h.service.restore('orders', run.id, to)).rejects.toMatchObject({
        code: 'CAIRN_BACKUP_RESTORE_TARGET_NOT_EMPTY',
      });
      await expect(h.service.restore('orders', run.id, to, { merge: true })).resolves.toMatchObject({ rows: 200 });
    } finally {
      h.close();
    }
  });
});

async function hot(dir: string, name: string) {
  const { SqliteHotTarget } = await import('../../src/adapters/local/backups/sqlite-hot-target.ts');
  return new SqliteHotTarget(join(dir, name));
}

void Database;
