/**
 * Fires backup jobs on their EventBridge schedules (nextFireTimes; no cron library). Each job has an
 * incremental schedule and optionally a full one; when both fire at the same instant the full run wins.
 * A fire while the previous run still holds the lease is skipped and reported late. On start, fires
 * missed while the server was down are reported (`backup.late`) and, with missedRunPolicy runOnce, run
 * once; a run a dead process left unfinished is resumed.
 */
import type { Clock } from '../../core/clock.ts';
import { isCairnError } from '../../core/errors.ts';
import { nextScheduledRun, scheduleStartOf } from '../../core/backups/next-run.ts';
import { nextFireTimes } from '../../core/backups/schedule/index.ts';
import { BACKUP_RUNNING, describeError } from '../../core/backups/errors.ts';
import type { BackupJobSpec } from '../../core/backups/model.ts';
import type { BackupService } from '../../core/backups/service.ts';
import type { BackupRunRepository } from '../../ports/backups.ts';
import type { Logger } from '../../ports/logger.ts';

type Kind = 'incremental' | 'full';
const MAX_TIMER_MS = 2 ** 31 - 1;
const MISSED_LOOKAHEAD = 1000;

export interface SchedulerOptions {
  /** Per job: how late a fire may start before it is reported. */
  lateAfterMs: (job: BackupJobSpec) => number;
  /** Wait before retrying to resume a run whose dead holder's lease has not expired yet. */
  retryMs: number;
}

export class BackupScheduler {
  private readonly next = new Map<string, { at: Date; kind: Kind }>();
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly service: BackupService,
    private readonly runs: BackupRunRepository,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: SchedulerOptions,
  ) {}

  private schedules(job: BackupJobSpec): [Kind, string][] {
    const out: [Kind, string][] = [];
    if (job.schedule.full) out.push(['full', job.schedule.full]);
    if (job.schedule.incremental) out.push(['incremental', job.schedule.incremental]);
    return out;
  }

  async start(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.service.jobs()) {
      await this.catchUp(job, now).catch((e: unknown) =>
        this.logger.error({ job: job.name, err: describeError(e) }, 'backup catch-up failed'),
      );
      const n = nextScheduledRun(job, now);
      if (n) this.next.set(job.name, n);
    }
    this.arm();
  }

  private async catchUp(job: BackupJobSpec, now: Date): Promise<void> {
    if (await this.runs.unfinished(job.name)) this.resume(job);
    let missed: { at: Date; kind: Kind }[] = [];
    for (const [kind, expr] of this.schedules(job)) {
      const last = await this.runs.lastFire(job.name, kind);
      if (last) {
        const times = nextFireTimes(expr, {
          from: last,
          count: MISSED_LOOKAHEAD,
          timeZone: job.timeZone,
          startDate: scheduleStartOf(job),
        });
        missed = missed.concat(times.filter((t) => t <= now).map((at) => ({ at, kind })));
      }
      await this.runs.setLastFire(job.name, kind, missed.filter((m) => m.kind === kind).at(-1)?.at ?? last ?? now);
    }
    if (missed.length === 0) return;
    missed.sort((a, b) => a.at.getTime() - b.at.getTime());
    const first = missed[0]!;
    if (now.getTime() - first.at.getTime() > this.options.lateAfterMs(job)) {
      await this.service.reportLate(job.name, first.at, {
        missed: missed.length,
        reason: 'missed while Cairn was not running',
        policy: job.missedRunPolicy,
      });
    }
    if (job.missedRunPolicy === 'runOnce') {
      const full = missed.some((m) => m.kind === 'full');
      await this.launch(job, full ? 'full' : 'incremental', missed.at(-1)!.at, 'missed');
    }
  }

  private resume(job: BackupJobSpec): void {
    this.service.start(job.name, { trigger: 'schedule' }).then(
      (s) => s.done.catch(() => {}),
      (e: unknown) => {
        if (isCairnError(e) && e.code === BACKUP_RUNNING && !this.stopped) {
          setTimeout(() => this.resume(job), this.options.retryMs).unref();
        } else this.logger.error({ job: job.name, err: describeError(e) }, 'could not resume a backup run');
      },
    );
  }

  /** Fires every job that is due, then re-arms the timer. Tests call it after moving the clock. */
  async tick(): Promise<void> {
    const now = this.clock.now();
    for (const job of this.service.jobs()) {
      const due = this.next.get(job.name);
      if (!due || due.at > now) continue;
      await this.runs.setLastFire(job.name, due.kind, due.at);
      // A coinciding fire of the other schedule is absorbed (the full run covers the incremental).
      for (const [kind] of this.schedules(job)) if (kind !== due.kind) await this.coincide(job, kind, due.at);
      const n = nextScheduledRun(job, now.getTime() > due.at.getTime() ? now : due.at);
      if (n) this.next.set(job.name, n);
      else this.next.delete(job.name);
      await this.launch(job, due.kind, due.at, 'schedule');
    }
    this.arm();
  }

  private async coincide(job: BackupJobSpec, kind: Kind, at: Date) {
    const expr = this.schedules(job).find(([k]) => k === kind)![1];
    const [t] = nextFireTimes(expr, {
      from: new Date(at.getTime() - 1),
      count: 1,
      timeZone: job.timeZone,
      startDate: scheduleStartOf(job),
    });
    if (t && t.getTime() === at.getTime()) await this.runs.setLastFire(job.name, kind, at);
  }

  private async launch(job: BackupJobSpec, kind: Kind, scheduledFor: Date, trigger: 'schedule' | 'missed') {
    const lateBy = this.clock.now().getTime() - scheduledFor.getTime();
    try {
      const started = await this.service.start(job.name, { full: kind === 'full', trigger, scheduledFor });
      if (trigger === 'schedule' && lateBy > this.options.lateAfterMs(job))
        await this.service.reportLate(job.name, scheduledFor, {
          runId: started.run.id,
          lateBySeconds: Math.round(lateBy / 1000),
        });
      started.done.catch((e: unknown) =>
        this.logger.warn({ job: job.name, err: describeError(e) }, 'backup run failed'),
      );
    } catch (e) {
      if (isCairnError(e) && e.code === BACKUP_RUNNING) {
        this.logger.warn(
          { job: job.name, scheduledFor: scheduledFor.toISOString() },
          'backup fire skipped: the previous run is still going',
        );
        await this.service.reportLate(job.name, scheduledFor, {
          reason: 'the previous run was still going',
          skipped: true,
        });
      } else this.logger.error({ job: job.name, err: describeError(e) }, 'backup run could not start');
    }
  }

  private arm(): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    const soonest = Math.min(...[...this.next.values()].map((n) => n.at.getTime()));
    if (!Number.isFinite(soonest)) return;
    const delay = Math.min(MAX_TIMER_MS, Math.max(0, soonest - this.clock.now().getTime()));
    this.timer = setTimeout(
      () => void this.tick().catch((e: unknown) => this.logger.error({ err: describeError(e) }, 'backup tick failed')),
      delay,
    );
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
