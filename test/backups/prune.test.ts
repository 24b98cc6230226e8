import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHotTarget } from '../../src/adapters/local/backups/sqlite-hot-target.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { manifestKey } from '../../src/core/backups/keys.ts';
import { cleanup, harness, makeOrders, ordersJob, tableHash, tempDir, tsOf } from './harness.ts';

const DAY = 86_400_000;

describe('backup prune', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => cleanup(dir));

  it('removes the runs no rule keeps (dry run first), keeping the newest verified run and every run a kept one builds on', async () => {
    const legacy = join(dir, 'legacy.db');
    const src = makeOrders(legacy, 300);
    const clock = new ManualClock(new Date('2026-03-01T02:00:00Z'));
    const h = await harness(dir, { orders: ordersJob(dir, { retention: { cold: '7d', hot: '45d' } }) }, { clock });
    const touch = (n: number) =>
      src.prepare('UPDATE orders SET updated_at = ?, amount = ? WHERE id = ?').run(tsOf(1000 + n), n, n);
    const run = async (day: number, full = false) => {
      clock.set(new Date(Date.UTC(2026, 2, 1 + day, 2)));
      touch(day + 1);
      return (await h.service.start('orders', { full })).done;
    };
    try {
      const f1 = await run(0);
      const i1 = await run(1);
      const i2 = await run(2);
      const f2 = await run(10, true);
      const i3 = await run(11);
      const i4 = await run(40);
      expect([f1, i1, i2, f2, i3, i4].map((r) => r.mode)).toEqual([
        'full',
        'incremental',
        'incremental',
        'full',
        'incremental',
        'incremental',
      ]);
      await h.service.verify('orders', f1.id);

      const dry = await h.service.prune('orders', { dryRun: true });
      expect(dry.removed.map((r) => r.runId)).toEqual([i2.id, i1.id]);
      expect(dry.removed[0]).toMatchObject({ objects: 2, reason: 'no keep rule applies' });
      expect(Object.fromEntries(dry.kept.map((k) => [k.runId, k.reasons]))).toEqual({
        [i4.id]: ['within 7d', 'newest'],
        [i3.id]: [`needed by ${i4.id}`],
        [f2.id]: [`needed by ${i4.id}`],
        [f1.id]: ['newest verified'],
      });
      expect(await h.store.head(manifestKey('orders', i1.id))).not.toBeNull();

      const done = await h.service.prune('orders');
      expect(done.removed.map((r) => r.runId)).toEqual([i2.id, i1.id]);
      for (const id of [i1.id, i2.id]) {
        expect(await h.store.head(manifestKey('orders', id))).toBeNull();
        expect(await h.store.list(`backups/orders/${id}/`)).toEqual({ items: [] });
        expect((await h.service.getRun(id)).run.prunedAt).toEqual(clock.now());
      }
      const to = (name: string) => ({
        kind: 'table' as const,
        target: new SqliteHotTarget(join(dir, name)),
        table: 'orders',
        label: name,
      });
      await expect(h.service.restore('orders', i2.id, to('x.db'))).rejects.toMatchObject({
        code: 'CAIRN_BACKUP_RUN_NOT_RESTORABLE',
      });
      await h.service.restore('orders', i4.id, to('y.db'));
      expect(tableHash(join(dir, 'y.db'))).toEqual(tableHash(legacy));
      expect(done.forgotten).toEqual([]);

      clock.advance(50 * DAY); // retention.hot: pruned runs leave the history 45 days after they finished
      const later = await h.service.prune('orders');
      expect(later.forgotten.sort()).toEqual([i1.id, i2.id].sort());
      await expect(h.service.getRun(i1.id)).rejects.toMatchObject({ code: 'CAIRN_BACKUP_RUN_NOT_FOUND' });
    } finally {
      src.close();
      h.close();
    }
  });
});
