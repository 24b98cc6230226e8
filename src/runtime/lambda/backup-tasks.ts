/**
 * The backup state machine's tasks (infra/lib/constructs/private/backup-workflow.ts), each one Lambda
 * invocation, over the same core steps the local runner chains in one process:
 *   plan     { job, mode?, startedAt? }        → { job, runId, chunks: [{ index, label }] }
 *            takes the job's lease under the new run id, fails a run an ended execution left behind,
 *            plans (planRun), creates the hot table and the run's staging table, records the run.
 *   chunk    { job, runId, chunk: { index } }  → { job, runId, index, rows, bytes, skipped }
 *            one runRowChunk: the chunk's cold object and its rows in the run's staging table. A chunk
 *            recorded done is skipped, so a retried task does nothing twice; one that failed midway is
 *            redone (its cold object is rewritten, staging upserts its rows).
 *   finalize { job, runId }                    → the core's executeRun with every chunk done: the staged
 *            rows reach the live table in one transaction, then the manifest, then success and the
 *            cursor; then retention (prune) and the lease is released.
 *   fail     { job, runId, error }             → marks the run failed and cleans it up, tells the hub.
 * The lease is held under the run id for the whole run and renewed by every task; TTL `leaseTtlMs`.
 */
import { ProgressBoard } from '../../core/backups/context.ts';
import { runDumpChunk, runRowChunk } from '../../core/backups/chunk-task.ts';
import { alreadyRunning, describeError, jobNotFound, leaseLost, runNotFound } from '../../core/backups/errors.ts';
import { newRunId } from '../../core/backups/keys.ts';
import type { BackupJobSpec, RunStatus } from '../../core/backups/model.ts';
import { planRun } from '../../core/backups/planner.ts';
import { invalid } from '../../core/errors.ts';
import type { BackupSource, ChunkSpec, HotRunWriter, HotTarget } from '../../ports/backups.ts';
import { failRun, finalizeRun } from './backup-finish.ts';
import { summary } from '../../core/backups/service.ts';
import { type AwsBackupDeps, failAndClean, hotTable, keepLease, publish } from './backup-run-events.ts';

export type { AwsBackupDeps };

export interface PlanInput {
  action?: 'plan';
  job: string;
  mode?: 'full' | 'incremental';
  /** The execution's start (the schedule's fire time, near enough). */
  startedAt?: string;
}
export interface PlanOutput {
  job: string;
  runId: string;
  chunks: Pick<ChunkSpec, 'index' | 'label'>[];
}
export interface ChunkInput {
  action?: 'chunk';
  job: string;
  runId: string;
  chunk: { index: number; label?: string };
}
export interface ChunkOutput {
  job: string;
  runId: string;
  index: number;
  rows: number;
  bytes: number;
  /** The chunk was recorded done already (a retried task): nothing was copied again. */
  skipped: boolean;
}
export interface FinalizeInput {
  action: 'finalize';
  job: string;
  runId: string;
}
export interface FinalizeOutput {
  job: string;
  runId: string;
  status: RunStatus;
  rows: number;
  bytes: number;
  hotRows: number | null;
  manifestKey: string | null;
  /** Runs whose cold copies retention removed after this one. */
  pruned: number;
}
export interface FailInput {
  action: 'fail';
  job: string;
  /** The run id, or the execution's name when planning failed before there was a run. */
  runId: string;
  /** What the state machine caught: Error (the code) and Cause (Lambda's JSON error, or text). */
  error?: { Error?: string; Cause?: string };
}
export interface FailOutput {
  job: string;
  /** The failed run (a new one when planning failed), or null when the fire was skipped. */
  runId: string | null;
  status: RunStatus | 'skipped';
  error: string;
}

export interface BackupTasks {
  plan(input: PlanInput): Promise<PlanOutput>;
  runChunk(input: ChunkInput): Promise<ChunkOutput>;
  finalize(input: FinalizeInput): Promise<FinalizeOutput>;
  fail(input: FailInput): Promise<FailOutput>;
}

/**
 * Step Functions matches errors by name: an error with a CAIRN_* code (a CairnError, a ConfigError)
 * leaves a task named by it (e.g. CAIRN_BACKUP_SOURCE_UNAVAILABLE), so the fail step and any
 * Retry/Catch can tell them apart.
 */
export function asTaskError(err: unknown): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && typeof code === 'string' && code.startsWith('CAIRN_'))
    Object.defineProperty(err, 'name', { value: code, configurable: true, writable: true });
  return err;
}

export function createBackupTasks(deps: AwsBackupDeps, jobs: readonly BackupJobSpec[]): BackupTasks {
  const byName = new Map(jobs.map((j) => [j.name, j]));
  const jobOf = (name: string) => {
    const job = byName.get(name);
    if (!job) throw jobNotFound(name);
    return job;
  };
  const runOf = async (job: BackupJobSpec, runId: string) => {
    const run = await deps.runs.get(runId);
    if (!run || run.job !== job.name) throw runNotFound(runId);
    return run;
  };

  return {
    async plan(input) {
      const job = jobOf(input.job);
      const now = deps.clock.now();
      const runId = newRunId(now);
      const lease = await deps.lease.acquire(job.name, deps.leaseTtlMs, runId);
      if (!lease) throw alreadyRunning(job.name);
      let hot: HotTarget | null = null;
      let staged: HotRunWriter | null = null;
      try {
        const left = await deps.runs.unfinished(job.name);
        if (left) {
          // Its execution ended without finishing it (a timeout, an abort): its lease expired.
          await failAndClean(deps, job, left, 'abandoned: its execution ended before the run finished');
          await publish(deps, 'backup.failed', job, left.id, summary((await deps.runs.get(left.id)) ?? left));
        }
        const startedAt = input.startedAt ? new Date(input.startedAt) : null;
        const source = await deps.openSource(job);
        const planned = await planRun(
          deps,
          job,
          source,
          {
            full: input.mode === 'full',
            trigger: 'schedule',
            scheduledFor: startedAt && !Number.isNaN(startedAt.getTime()) ? startedAt : null,
          },
          runId,
        ).finally(() => source.close().catch(() => {}));
        // The live table and this run's staging exist before any chunk writes: chunks only attach.
        const table = hotTable(job, planned.run);
        hot = table ? await deps.openHot(job) : null;
        if (hot && table) {
          await hot.prepare(table);
          staged = await hot.beginRun(runId, table);
        }
        await deps.runs.create(planned.run, planned.chunks);
        return { job: job.name, runId, chunks: planned.chunks.map((c) => ({ index: c.index, label: c.label })) };
      } catch (err) {
        // No run was recorded: the fail step records the failure; nothing may hold the job meanwhile.
        await staged?.abort().catch(() => {});
        await lease.release().catch(() => {});
        throw err;
      } finally {
        await hot?.close().catch(() => {});
      }
    },

    async runChunk(input) {
      const job = jobOf(input.job);
      const run = await runOf(job, input.runId);
      const index = input.chunk.index;
      const chunk = await deps.runs.chunk(run.id, index);
      if (!chunk) throw invalid('CAIRN_INVALID_REQUEST', `chunk.index: run ${run.id} has no chunk ${index}.`);
      const out = (stored = chunk.stored, skipped = true): ChunkOutput => ({
        job: job.name,
        runId: run.id,
        index,
        rows: stored?.rows ?? 0,
        bytes: stored?.bytes ?? 0,
        skipped,
      });
      if (chunk.status === 'done') return out();
      const keeper = await keepLease(deps, job.name, run.id);
      const table = hotTable(job, run);
      let source: BackupSource | null = null;
      let hot: HotTarget | null = null;
      try {
        source = await deps.openSource(job);
        hot = table ? await deps.openHot(job) : null;
        const ctx = { deps, job, run, board: new ProgressBoard(), stopped: keeper.lost };
        if (source.kind === 'dump') await runDumpChunk(ctx, source, chunk);
        else {
          const writer = hot && table ? await hot.beginRun(run.id, table) : null;
          await runRowChunk(ctx, source, chunk, run.plan.request!, writer);
        }
      } catch (err) {
        await deps.runs.chunkAttemptFailed(run.id, index, describeError(err)).catch(() => {});
        throw keeper.lost() ? leaseLost(job.name) : err;
      } finally {
        keeper.stop();
        await source?.close().catch(() => {});
        await hot?.close().catch(() => {});
      }
      return out((await deps.runs.chunk(run.id, index))?.stored ?? null, false);
    },

    finalize: (input) => finalizeRun(deps, jobOf(input.job), input.runId),
    fail: (input) => failRun(deps, jobOf(input.job), input),
  };
}
