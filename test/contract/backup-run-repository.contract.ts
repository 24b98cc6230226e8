/**
 * The BackupRunRepository and JobLease contract: the SQLite adapters (local runtime) and the DynamoDB
 * ones (AWS, on dynalite) run this same suite, so the backup core behaves alike on both.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.ts';
import type { BackupRun } from '../../src/core/backups/model.ts';
import type { BackupRunRepository, ChunkSpec, JobLease, StoredObjectRef } from '../../src/ports/backups.ts';

export interface RunRepositoryFixture {
  runs: BackupRunRepository;
  lease: JobLease;
  /** The clock the lease reads. */
  clock: ManualClock;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-03-01T02:00:00Z');
const H = 3_600_000;
const at = (ms: number) => new Date(T0 + ms);
const idAt = (ms: number, tag: string) =>
  `r_${at(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}_${tag.padEnd(8, 'x')}`;

function planned(id: string, job = 'orders', startedMs = 0, over: Partial<BackupRun> = {}): BackupRun {
  return {
    id,
    job,
    mode: 'incremental',
    kind: 'rows',
    status: 'running',
    phase: 'chunks',
    trigger: 'schedule',
    scheduledFor: at(startedMs - 1000),
    startedAt: at(startedMs),
    finishedAt: null,
    plan: {
      kind: 'rows',
      schema: {
        name: 'orders',
        columns: [
          { name: 'id', type: 'integer', nullable: false },
          { name: 'updated_at', type: 'timestamp', nullable: false },
        ],
        primaryKey: ['id'],
      },
      request: {
        mode: 'incremental',
        cursor: { column: 'updated_at', after: { value: '2026-02-28T00:00:00.000Z', key: [42] } },
        chunkRows: 1000,
      },
      basedOn: 'r_20260228T020000Z_previous',
    },
    cursorFrom: { value: '2026-02-28T00:00:00.000Z', key: [42] },
    cursorTo: null,
    chunksTotal: 2,
    chunksDone: 0,
    rows: 0,
    bytes: 0,
    hotRows: null,
    manifestKey: null,
    error: null,
    verifiedAt: null,
    verifyOk: null,
    verifyError: null,
    prunedAt: null,
    ...over,
  };
}

const CHUNKS: ChunkSpec[] = [
  { index: 0, label: 'id 1..1000', params: { from: 1, to: 1000 } },
  { index: 1, label: 'id 1001..', params: { from: '9007199254740993', to: null, nested: { a: [1, 'b'] } } },
];
const stored = (index: number, rows: number): StoredObjectRef => ({
  key: `backups/orders/r/chunk-${index}.ndjson.gz`,
  rows,
  bytes: rows * 10 + 7,
  sha256: String(index).repeat(64).slice(0, 64),
});

export function describeRunRepositoryContract(name: string, makeFixture: () => Promise<RunRepositoryFixture>): void {
  describe(`BackupRunRepository contract: ${name}`, () => {
    let f: RunRepositoryFixture;
    let runs: BackupRunRepository;
    beforeEach(async () => {
      f = await makeFixture();
      runs = f.runs;
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('records a planned run with its chunks, all pending, and gives them back as they were', async () => {
      const run = planned(idAt(0, 'aaaa'));
      await runs.create({ ...run, rows: 99, error: 'ignored: nothing has happened yet' }, CHUNKS);
      expect(await runs.get(run.id)).toEqual(run);
      expect(await runs.chunks(run.id)).toEqual(
        CHUNKS.map((c) => ({ ...c, status: 'pending', attempts: 0, stored: null, maxCursor: null, error: null })),
      );
      expect(await runs.get('r_20260301T020000Z_missing0')).toBeNull();
      expect(await runs.chunks('r_20260301T020000Z_missing0')).toEqual([]);
    });

    it('counts each chunk once, however often it is reported done', async () => {
      const run = planned(idAt(0, 'bbbb'));
      await runs.create(run, CHUNKS);
      await runs.chunkAttemptFailed(run.id, 0, 'the source went away');
      expect((await runs.chunks(run.id))[0]).toMatchObject({ attempts: 1, error: 'the source went away' });
      const cursor = { value: '2026-03-01T00:00:00.000Z', key: ['9007199254740993'] };
      await runs.chunkDone(run.id, 0, stored(0, 1000), cursor);
      await runs.chunkDone(run.id, 0, stored(9, 5), null); // a retried task reporting again
      await runs.chunkDone(run.id, 7, stored(7, 5), null); // no such chunk
      const [first, second] = await runs.chunks(run.id);
      expect(first).toMatchObject({
        status: 'done',
        attempts: 2,
        error: null,
        stored: stored(0, 1000),
        maxCursor: cursor,
      });
      expect(second).toMatchObject({ status: 'pending', stored: null });
      expect(await runs.get(run.id)).toMatchObject({ chunksDone: 1, rows: 1000, bytes: 10_007 });
      await runs.chunkDone(run.id, 1, stored(1, 3), null);
      expect(await runs.get(run.id)).toMatchObject({ chunksDone: 2, rows: 1003, bytes: 10_044 });
    });

    it("finds a job's unfinished run until it ends", async () => {
      const [a, b] = [planned(idAt(0, 'cccc')), planned(idAt(60_000, 'dddd'), 'invoices')];
      await runs.create(a, CHUNKS);
      await runs.create(b, CHUNKS);
      expect((await runs.unfinished('orders'))?.id).toBe(a.id);
      expect((await runs.unfinished('invoices'))?.id).toBe(b.id);
      expect(await runs.unfinished('nothing')).toBeNull();
      await runs.succeed(a.id, at(H), null);
      await runs.fail(b.id, 'boom', at(H));
      expect(await runs.unfinished('orders')).toBeNull();
      expect(await runs.unfinished('invoices')).toBeNull();
    });

    it('lists runs newest first, of one job or of all, a page at a time', async () => {
      const ids = [
        planned(idAt(0, 'e1'), 'orders', 0),
        planned(idAt(H, 'e2'), 'invoices', H),
        planned(idAt(2 * H, 'e3'), 'orders', 2 * H),
        planned(idAt(2 * H, 'e4'), 'orders', 2 * H), // same start: the greater id first
        planned(idAt(3 * H, 'e5'), 'orders', 3 * H),
      ];
      for (const r of ids) await runs.create(r, []);
      const first = await runs.list('orders', { limit: 2 });
      expect(first.items.map((r) => r.id)).toEqual([ids[4]!.id, ids[3]!.id]);
      const second = await runs.list('orders', { limit: 2, cursor: first.cursor! });
      expect(second.items.map((r) => r.id)).toEqual([ids[2]!.id, ids[0]!.id]);
      expect(second.cursor).toBeUndefined();
      const all = await runs.list(null, {});
      expect(all.items.map((r) => r.id)).toEqual([4, 3, 2, 1, 0].map((i) => ids[i]!.id));
      expect(all.cursor).toBeUndefined();
      expect(all.items[3]).toEqual({ ...ids[1]!, chunksTotal: 0 });
      await expect(runs.list(null, { cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'CAIRN_INVALID_CURSOR' });
      await expect(runs.list(null, { limit: 0 })).rejects.toMatchObject({ code: 'CAIRN_INVALID_REQUEST' });
    });

    it("moves a run through its phases and commits the job's cursor with its success", async () => {
      const [a, b] = [planned(idAt(0, 'ffff')), planned(idAt(H, 'gggg'), 'orders', H)];
      await runs.create(a, CHUNKS);
      await runs.setPhase(a.id, 'hot-committed', { hotRows: 1003 });
      await runs.setPhase(a.id, 'manifest-written', { manifestKey: 'backups/orders/a/manifest.json' });
      expect(await runs.get(a.id)).toMatchObject({ phase: 'manifest-written', hotRows: 1003 });
      const position = { value: 1_767_225_600_000, key: [7, 'x'] };
      await runs.succeed(a.id, at(30_000), { column: 'updated_at', position, runId: a.id });
      expect(await runs.get(a.id)).toMatchObject({
        status: 'succeeded',
        phase: 'done',
        finishedAt: at(30_000),
        cursorTo: position,
        hotRows: 1003,
        manifestKey: 'backups/orders/a/manifest.json',
        error: null,
      });
      expect(await runs.cursor('orders')).toEqual({ column: 'updated_at', position, runId: a.id });
      await runs.create(b, []);
      await runs.succeed(b.id, at(H + 1000), null);
      expect((await runs.cursor('orders'))?.runId).toBe(a.id);
      expect(await runs.cursor('invoices')).toBeNull();
    });

    it('fails only a running run, keeping 2,000 characters of the error', async () => {
      const [a, b] = [planned(idAt(0, 'hhhh')), planned(idAt(H, 'iiii'), 'orders', H)];
      await runs.create(a, CHUNKS);
      await runs.create(b, CHUNKS);
      await runs.fail(a.id, 'é'.repeat(3000), at(60_000));
      await runs.fail(a.id, 'a second failure', at(120_000));
      const failed = await runs.get(a.id);
      expect(failed).toMatchObject({ status: 'failed', phase: 'failed', finishedAt: at(60_000) });
      expect(failed!.error).toBe('é'.repeat(2000));
      await runs.succeed(b.id, at(2 * H), null);
      await runs.fail(b.id, 'too late', at(3 * H));
      expect(await runs.get(b.id)).toMatchObject({ status: 'succeeded', error: null, finishedAt: at(2 * H) });
      await runs.fail('r_20260301T020000Z_missing0', 'nothing', at(0));
    });

    it('keeps succeeded runs oldest first until pruned, and finds failed and pruned runs to forget', async () => {
      const mk = (tag: string, ms: number) => planned(idAt(ms, tag), 'orders', ms);
      const [a, b, c, d, e] = [mk('ja', 0), mk('jb', 60_000), mk('jc', 120_000), mk('jd', 180_000), mk('je', 240_000)];
      for (const r of [a, b, c, d, e]) await runs.create(r, CHUNKS);
      await runs.create(planned(idAt(0, 'jz'), 'other'), []);
      await runs.succeed(a.id, at(H), null);
      await runs.succeed(b.id, at(3 * H), null);
      await runs.succeed(c.id, at(2 * H), null);
      await runs.fail(d.id, 'boom', at(H / 2));
      expect((await runs.succeeded('orders')).map((r) => r.id)).toEqual([a.id, c.id, b.id]);
      await runs.markPruned(a.id, at(4 * H));
      expect((await runs.succeeded('orders')).map((r) => r.id)).toEqual([c.id, b.id]);
      expect((await runs.get(a.id))!.prunedAt).toEqual(at(4 * H));
      expect((await runs.stale('orders', at(2 * H))).map((r) => r.id)).toEqual([d.id, a.id]);
      expect((await runs.stale('orders', at(H))).map((r) => r.id)).toEqual([d.id]);
      expect(await runs.stale('other', at(10 * H))).toEqual([]);
      await runs.remove(d.id);
      expect(await runs.get(d.id)).toBeNull();
      expect(await runs.chunks(d.id)).toEqual([]);
      expect((await runs.stale('orders', at(10 * H))).map((r) => r.id)).toEqual([a.id]);
      expect((await runs.get(e.id))!.status).toBe('running');
    });

    it('records the outcome of the last verification', async () => {
      const run = planned(idAt(0, 'kkkk'));
      await runs.create(run, CHUNKS);
      await runs.recordVerify(run.id, false, `chunk-0: ${'x'.repeat(2500)}`, at(H));
      expect(await runs.get(run.id)).toMatchObject({ verifiedAt: at(H), verifyOk: false });
      expect((await runs.get(run.id))!.verifyError).toHaveLength(2000);
      await runs.recordVerify(run.id, true, null, at(2 * H));
      expect(await runs.get(run.id)).toMatchObject({ verifiedAt: at(2 * H), verifyOk: true, verifyError: null });
    });

    it('remembers when each schedule of a job last fired', async () => {
      expect(await runs.lastFire('orders', 'full')).toBeNull();
      await runs.setLastFire('orders', 'full', at(0));
      await runs.setLastFire('orders', 'incremental', at(H));
      await runs.setLastFire('orders', 'full', at(2 * H));
      expect(await runs.lastFire('orders', 'full')).toEqual(at(2 * H));
      expect(await runs.lastFire('orders', 'incremental')).toEqual(at(H));
      expect(await runs.lastFire('invoices', 'full')).toBeNull();
    });

    it('leases a job to one holder at a time, until it releases', async () => {
      const a = await f.lease.acquire('orders', 10_000);
      expect(a).not.toBeNull();
      expect(await f.lease.acquire('orders', 10_000)).toBeNull();
      expect(await f.lease.acquire('other', 10_000)).not.toBeNull();
      await a!.release();
      expect(await f.lease.acquire('orders', 10_000)).not.toBeNull();
    });

    it('lets a lease expire when its holder stops renewing; the old holder then learns it lost it', async () => {
      const a = (await f.lease.acquire('orders', 10_000))!;
      f.clock.advance(9_000);
      expect(await a.renew()).toBe(true);
      f.clock.advance(9_000);
      expect(await f.lease.acquire('orders', 10_000)).toBeNull();
      f.clock.advance(2_000);
      const b = await f.lease.acquire('orders', 10_000);
      expect(b).not.toBeNull();
      expect(b!.holder).not.toBe(a.holder);
      expect(await a.renew()).toBe(false);
      await a.release(); // releasing a lost lease leaves the new holder's alone
      expect(await f.lease.acquire('orders', 10_000)).toBeNull();
    });
  });
}
