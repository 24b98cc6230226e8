import { readFile, unlink, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteHotTarget } from '../../src/adapters/local/backups/sqlite-hot-target.ts';
import { chunkKey } from '../../src/core/backups/keys.ts';
import { cleanup, harness, makeOrders, ordersJob, tableHash, tempDir } from './harness.ts';

describe('backup faults', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => cleanup(dir));

  it('fails verify naming the chunk whose stored byte was flipped, and restores nothing from it', async () => {
    makeOrders(join(dir, 'legacy.db'), 500).close();
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const run = await (await h.service.start('orders')).done;
      const key = chunkKey('orders', run.id, 2);
      const file = h.store.pathOf(key);
      const bytes = await readFile(file);
      bytes[Math.floor(bytes.length / 2)]! ^= 0x01;
      await writeFile(file, bytes);

      const [report] = await h.service.verify('orders', run.id);
      expect(report).toMatchObject({ ok: false, problems: [{ key }] });
      expect(report!.problems).toHaveLength(1);
      expect((await h.service.getRun(run.id)).run).toMatchObject({ verifyOk: false });

      const target = new SqliteHotTarget(join(dir, 'restored.db'));
      await expect(
        h.service.restore('orders', run.id, { kind: 'table', target, table: 'orders', label: 'restored' }),
      ).rejects.toMatchObject({ code: 'CAIRN_BACKUP_CHUNK_CORRUPT', details: { key } });
      expect(await target.fingerprint('orders')).toMatchObject({ rows: 0 });
      await target.close();
    } finally {
      h.close();
    }
  });

  it('catches a chunk replaced by other bytes through the store (checksum differs from the manifest)', async () => {
    makeOrders(join(dir, 'legacy.db'), 300).close();
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const run = await (await h.service.start('orders')).done;
      const key = chunkKey('orders', run.id, 1);
      const { body } = await h.store.get(chunkKey('orders', run.id, 0));
      await h.store.put(key, body); // a well-formed chunk, but not the one the manifest lists
      const [report] = await h.service.verify('orders', run.id);
      expect(report!.problems).toEqual([{ key, problem: expect.stringMatching(/SHA-256|bytes stored/) }]);
      await expect(
        h.service.restore('orders', run.id, {
          kind: 'dir',
          dir: new (await import('../../src/adapters/local/backups/dir-restore.ts')).DirRestore(join(dir, 'out')),
          label: 'out',
        }),
      ).rejects.toMatchObject({ code: 'CAIRN_BACKUP_CHUNK_CORRUPT' });
      expect(existsSync(join(dir, 'out'))).toBe(false);
    } finally {
      h.close();
    }
  });

  it('fails cleanly when the source disappears mid-run: earlier backups intact, cursor and hot table unchanged', async () => {
    const legacy = join(dir, 'legacy.db');
    makeOrders(legacy, 300).close();
    let removeAfter = Infinity;
    let done = 0;
    const h = await harness(
      dir,
      { orders: ordersJob(dir, { concurrency: 1, retries: 2 }) },
      {
        onChunkDone: async () => {
          if (++done === removeAfter)
            for (const f of [legacy, `${legacy}-wal`, `${legacy}-shm`]) await unlink(f).catch(() => {});
        },
      },
    );
    try {
      const first = await (await h.service.start('orders', { full: true })).done;
      const hotBefore = tableHash(join(dir, 'hot.db'));
      const cursorBefore = await h.db.prepare('SELECT position, run_id FROM backup_cursors').get();
      removeAfter = done + 2;
      const started = await h.service.start('orders', { full: true });
      await expect(started.done).rejects.toMatchObject({ code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE' });

      const { run } = await h.service.getRun(started.run.id);
      expect(run).toMatchObject({ status: 'failed', phase: 'failed' });
      expect(run.error).toMatch(/cannot be opened/);
      for (let i = 0; i < run.chunksTotal; i++) expect(await h.store.head(chunkKey('orders', run.id, i))).toBeNull();
      expect(h.db.prepare('SELECT position, run_id FROM backup_cursors').get()).toEqual(cursorBefore);
      expect(tableHash(join(dir, 'hot.db'))).toEqual(hotBefore);
      expect(h.db.prepare("SELECT count(*) FROM sqlite_master WHERE name LIKE '_cairn_stage_%'").pluck().get()).toBe(0);
      const [verify] = await h.service.verify('orders', first.id);
      expect(verify!.ok).toBe(true);
      expect(h.events.map((e) => e.type)).toEqual(['backup.failed']);
      expect(h.events[0]!.data).toMatchObject({ job: 'orders', runId: run.id, status: 'failed' });
    } finally {
      h.close();
    }
  });

  it('records a run that could not be planned (no source at all) as failed, and says so on the bus', async () => {
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      await expect(h.service.start('orders')).rejects.toMatchObject({ code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE' });
      const [run] = (await h.service.listRuns('orders', {})).items;
      expect(run).toMatchObject({
        status: 'failed',
        chunksTotal: 0,
        error: expect.stringMatching(/legacy\.db cannot be opened/),
      });
      expect(h.events).toMatchObject([{ type: 'backup.failed', data: { job: 'orders', runId: run!.id } }]);
    } finally {
      h.close();
    }
  });

  it('lets only one run of a job hold the lease at a time', async () => {
    makeOrders(join(dir, 'legacy.db'), 300).close();
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const results = await Promise.allSettled([
        h.service.start('orders'),
        h.service.start('orders'),
        h.service.start('orders'),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      expect(won).toHaveLength(1);
      for (const r of results.filter((x) => x.status === 'rejected'))
        expect((r as PromiseRejectedResult).reason).toMatchObject({ code: 'CAIRN_BACKUP_RUNNING' });
      await (won[0] as PromiseFulfilledResult<Awaited<ReturnType<typeof h.service.start>>>).value.done;
      await expect((await h.service.start('orders')).done).resolves.toMatchObject({ status: 'succeeded' });
    } finally {
      h.close();
    }
  });
});
