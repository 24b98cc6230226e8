import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteBackupRunRepository } from '../../src/adapters/local/backups/run-repository.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { BackupScheduler } from '../../src/runtime/local/backup-scheduler.ts';
import { cleanup, harness, makeOrders, ordersJob, tempDir } from './harness.ts';

type H = Awaited<ReturnType<typeof harness>>;

async function settle(h: H) {
  for (let i = 0; i < 200; i++) {
    if (h.db.prepare("SELECT count(*) FROM backup_runs WHERE status = 'running'").pluck().get() === 0) {
      if (h.db.prepare('SELECT count(*) FROM backup_leases').pluck().get() === 0) return;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error('runs did not settle');
}

const runs = (h: H) =>
  h.db.prepare('SELECT mode, trigger, scheduled_for, status FROM backup_runs ORDER BY started_at, id').all() as {
    mode: string;
    trigger: string;
    scheduled_for: number | null;
    status: string;
  }[];

describe('the backup scheduler', () => {
  let dir: string;
  let clock: ManualClock;
  let scheduler: BackupScheduler | undefined;
  beforeEach(async () => {
    dir = await tempDir();
    makeOrders(join(dir, 'legacy.db'), 200).close();
    clock = new ManualClock(new Date('2026-01-01T00:30:00Z'));
  });
  afterEach(async () => {
    scheduler?.stop();
    await cleanup(dir);
  });

  async function setUp(job: Record<string, unknown>) {
    // rate() counts from the schedule's startDate (cairn.yaml), here the test's first day.
    const schedule = { startDate: '2026-01-01T00:00:00Z', ...(job.schedule as object) };
    const h = await harness(dir, { orders: ordersJob(dir, { ...job, schedule }) }, { clock });
    scheduler = new BackupScheduler(h.service, new SqliteBackupRunRepository(h.db), clock, silentLogger, {
      lateAfterMs: () => 5 * 60_000,
      retryMs: 1000,
    });
    return h;
  }

  it('fires on the schedule, the full schedule winning when both fire at once, and reports a late start', async () => {
    const h = await setUp({ schedule: { incremental: 'rate(1 hour)', full: 'cron(0 2 * * ? *)' } });
    try {
      await scheduler!.start();
      await scheduler!.tick();
      expect(runs(h)).toEqual([]);
      clock.set(new Date('2026-01-01T01:00:00Z'));
      await scheduler!.tick();
      await settle(h);
      clock.set(new Date('2026-01-01T02:10:00Z')); // 10 minutes late: both schedules were due at 02:00
      await scheduler!.tick();
      await settle(h);
      expect(runs(h)).toEqual([
        { mode: 'full', trigger: 'schedule', scheduled_for: Date.parse('2026-01-01T01:00:00Z'), status: 'succeeded' },
        { mode: 'full', trigger: 'schedule', scheduled_for: Date.parse('2026-01-01T02:00:00Z'), status: 'succeeded' },
      ]);
      await scheduler!.tick();
      expect(runs(h)).toHaveLength(2); // the 02:00 incremental was absorbed by the full run
      expect(h.events.map((e) => [e.type, e.data.lateBySeconds])).toEqual([['backup.late', 600]]);
    } finally {
      h.close();
    }
  });

  it('skips a fire while the previous run holds the lease, and says so', async () => {
    const h = await setUp({ schedule: { incremental: 'rate(1 hour)' } });
    try {
      await scheduler!.start();
      h.db
        .prepare('INSERT INTO backup_leases (job, holder, expires_at) VALUES (?, ?, ?)')
        .run('orders', `elsewhere:1:x`, Date.now() + 60_000);
      clock.set(new Date('2026-01-01T01:00:00Z'));
      await scheduler!.tick();
      expect(runs(h)).toEqual([]);
      expect(h.events).toMatchObject([{ type: 'backup.late', data: { job: 'orders', skipped: true } }]);
    } finally {
      h.close();
    }
  });

  it('on start, reports fires missed while down and runs once when the policy says runOnce', async () => {
    const h = await setUp({ schedule: { incremental: 'rate(1 hour)' }, missedRunPolicy: 'runOnce' });
    try {
      await new SqliteBackupRunRepository(h.db).setLastFire('orders', 'incremental', new Date('2026-01-01T00:00:00Z'));
      clock.set(new Date('2026-01-01T05:30:00Z'));
      await scheduler!.start();
      await settle(h);
      expect(runs(h)).toEqual([
        { mode: 'full', trigger: 'missed', scheduled_for: Date.parse('2026-01-01T05:00:00Z'), status: 'succeeded' },
      ]);
      expect(h.events).toMatchObject([
        { type: 'backup.late', data: { missed: 5, policy: 'runOnce', scheduledFor: '2026-01-01T01:00:00.000Z' } },
      ]);
    } finally {
      h.close();
    }
  });

  it('with missedRunPolicy skip, reports the missed fires but does not run them', async () => {
    const h = await setUp({ schedule: { incremental: 'rate(1 hour)' } });
    try {
      await new SqliteBackupRunRepository(h.db).setLastFire('orders', 'incremental', new Date('2026-01-01T00:00:00Z'));
      clock.set(new Date('2026-01-01T03:30:00Z'));
      await scheduler!.start();
      expect(runs(h)).toEqual([]);
      expect(h.events).toMatchObject([{ type: 'backup.late', data: { missed: 3, policy: 'skip' } }]);
    } finally {
      h.close();
    }
  });
});
