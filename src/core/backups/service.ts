/**
 * The backup capability's entry point for the CLI, the API and the scheduler. It holds the job's lease
 * while a run works (renewing it), resumes an interrupted run before planning a new one, keeps live
 * progress, and publishes `backup.finished`, `backup.failed` and `backup.late` on the EventBus.
 */
import type { Page, PageRequest } from '../../ports/repositories.ts';
import { newEventId } from '../ids.ts';
import { type BackupDeps, ProgressBoard } from './context.ts';
import { alreadyRunning, describeError, jobNotFound, runNotFound } from './errors.ts';
import type { BackupJobSpec, BackupRun, RunProgress } from './model.ts';
import { blankRun, planRun, type StartOptions } from './planner.ts';
import { newRunId } from './keys.ts';
import { type PruneReport, pruneJob } from './prune.ts';
import { type RestoreOptions, type RestoreReport, type RestoreTarget, restoreRun } from './restore.ts';
import { executeRun } from './runner.ts';
import { type VerifyReport, verifyRun } from './verify.ts';

export interface StartedRun {
  run: BackupRun;
  /** True when this continues a run a dead process left unfinished (same run id, done chunks skipped). */
  resumed: boolean;
  /** Settles when the run ends: the succeeded run, or the error that failed it. */
  done: Promise<BackupRun>;
}

export class BackupService {
  readonly board = new ProgressBoard();
  private readonly byName: Map<string, BackupJobSpec>;

  constructor(
    private readonly deps: BackupDeps,
    jobs: readonly BackupJobSpec[],
  ) {
    this.byName = new Map(jobs.map((j) => [j.name, j]));
  }

  jobs(): BackupJobSpec[] {
    return [...this.byName.values()];
  }

  job(name: string): BackupJobSpec {
    const job = this.byName.get(name);
    if (!job) throw jobNotFound(name);
    return job;
  }

  async start(name: string, options: StartOptions = {}): Promise<StartedRun> {
    const job = this.job(name);
    const { deps } = this;
    const lease = await deps.lease.acquire(job.name, deps.leaseTtlMs);
    if (!lease) throw alreadyRunning(job.name);
    let lost = false;
    const timer = setInterval(
      () => {
        lease.renew().then(
          (ok) => (lost ||= !ok),
          () => {}, // a failed renewal is retried at the next tick; the lease outlives a few misses
        );
      },
      Math.max(50, Math.floor(deps.leaseTtlMs / 3)),
    );
    timer.unref?.();
    const release = async () => {
      clearInterval(timer);
      await lease.release().catch(() => {});
    };
    let run: BackupRun;
    let resumed = false;
    try {
      const unfinished = await deps.runs.unfinished(job.name);
      if (unfinished) {
        [run, resumed] = [unfinished, true];
      } else {
        const source = await deps.openSource(job);
        try {
          const planned = await planRun(deps, job, source, options);
          await deps.runs.create(planned.run, planned.chunks);
          run = planned.run;
        } finally {
          await source.close().catch(() => {});
        }
      }
    } catch (err) {
      await release();
      // A run that could not even be planned (the source is down) still shows in the history, failed.
      const failed = resumed ? null : await this.recordPlanFailure(job, options, err).catch(() => null);
      const about = failed ? summary(failed) : { trigger: options.trigger ?? 'manual' };
      await this.publish('backup.failed', job, { ...about, error: describeError(err) });
      throw err;
    }
    const chunksDone = resumed ? (await deps.runs.chunks(run.id)).filter((c) => c.status === 'done').length : 0;
    this.board.start(run.id, { chunksTotal: run.chunksTotal, chunksDone, rows: run.rows, bytes: run.bytes });
    const done = executeRun({ deps, job, run, board: this.board, stopped: () => lost, lost: () => lost })
      .then(async (finished) => {
        if (job.notify.onSuccess) await this.publish('backup.finished', job, summary(finished));
        return finished;
      })
      .catch(async (err: unknown) => {
        const failed = await deps.runs.get(run.id);
        await this.publish('backup.failed', job, {
          ...(failed ? summary(failed) : { runId: run.id }),
          error: describeError(err),
        });
        throw err;
      })
      .finally(async () => {
        this.board.end(run.id);
        await release();
      });
    done.catch(() => {}); // the caller decides whether to wait; an unobserved failure is not a crash
    return { run, resumed, done };
  }

  listRuns(job: string | null, page: PageRequest): Promise<Page<BackupRun>> {
    if (job !== null) this.job(job);
    return this.deps.runs.list(job, page);
  }

  async getRun(id: string): Promise<{ run: BackupRun; progress: RunProgress | null }> {
    const run = await this.deps.runs.get(id);
    if (!run) throw runNotFound(id);
    return { run, progress: this.board.get(id) ?? null };
  }

  /** Verifies one run, or every kept run of the job (newest first). */
  async verify(name: string, runId?: string): Promise<VerifyReport[]> {
    const job = this.job(name);
    const runs = runId ? [await this.runOf(job, runId)] : (await this.deps.runs.succeeded(job.name)).reverse();
    const reports: VerifyReport[] = [];
    for (const run of runs) reports.push(await verifyRun(this.deps, run, job.concurrency));
    return reports;
  }

  async restore(name: string, runId: string, to: RestoreTarget, options: RestoreOptions = {}): Promise<RestoreReport> {
    const job = this.job(name);
    const run = await this.runOf(job, runId);
    return restoreRun(this.deps, run, await this.deps.runs.succeeded(job.name), to, options);
  }

  prune(name: string, options: { dryRun?: boolean } = {}): Promise<PruneReport> {
    return pruneJob(this.deps, this.job(name), options.dryRun ?? false);
  }

  /** A scheduled fire started (or was missed) later than its grace allows. */
  async reportLate(name: string, scheduledFor: Date, detail: Record<string, unknown>): Promise<void> {
    const job = this.job(name);
    if (!job.notify.onLate) return;
    await this.publish('backup.late', job, { scheduledFor: scheduledFor.toISOString(), ...detail }, true);
  }

  private async recordPlanFailure(job: BackupJobSpec, options: StartOptions, err: unknown): Promise<BackupRun | null> {
    const kind = job.source.type === 'command' || job.source.type === 'file' ? 'dump' : 'rows';
    const now = this.deps.clock.now();
    const run = blankRun(job, newRunId(now), now, options, { kind, schema: null, request: null, basedOn: null });
    await this.deps.runs.create(run, []);
    await this.deps.runs.fail(run.id, describeError(err), now);
    return this.deps.runs.get(run.id);
  }

  private async runOf(job: BackupJobSpec, runId: string): Promise<BackupRun> {
    const run = await this.deps.runs.get(runId);
    if (!run || run.job !== job.name) throw runNotFound(runId);
    return run;
  }

  private async publish(type: string, job: BackupJobSpec, data: Record<string, unknown>, force = false) {
    if (type === 'backup.failed' && !job.notify.onFailure && !force) return;
    try {
      await this.deps.events.publish({
        id: newEventId(),
        type,
        time: this.deps.clock.now().toISOString(),
        actor: 'cairn-backups',
        data: { job: job.name, source: job.source.type, ...data },
      });
    } catch (err) {
      this.deps.logger.error({ type, job: job.name, err: describeError(err) }, 'could not publish a backup event');
    }
  }
}

/** A run as the hub's backup.* events carry it (both runtimes). */
export function summary(run: BackupRun): Record<string, unknown> {
  return {
    runId: run.id,
    mode: run.mode,
    trigger: run.trigger,
    status: run.status,
    rows: run.rows,
    bytes: run.bytes,
    chunks: run.chunksTotal,
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    ...(run.error ? { error: run.error } : {}),
  };
}
