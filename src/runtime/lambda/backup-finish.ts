/**
 * The end of a run on Lambda: finalize (the core's runner from the hot commit on, then retention) and
 * fail (the state machine's catch-all), both safe to retry.
 */
import { ProgressBoard } from '../../core/backups/context.ts';
import { BACKUP_LEASE_LOST, BACKUP_RUNNING, describeError, runNotFound } from '../../core/backups/errors.ts';
import { newRunId } from '../../core/backups/keys.ts';
import type { BackupJobSpec } from '../../core/backups/model.ts';
import { blankRun } from '../../core/backups/planner.ts';
import { pruneJob } from '../../core/backups/prune.ts';
import { executeRun } from '../../core/backups/runner.ts';
import { CairnError } from '../../core/errors.ts';
import { summary } from '../../core/backups/service.ts';
import { type AwsBackupDeps, failAndClean, keepLease, publish } from './backup-run-events.ts';
import type { FailInput, FailOutput, FinalizeOutput } from './backup-tasks.ts';

/**
 * Runs the core's executeRun on a run whose chunks are done: it commits the staged rows to the live
 * table in one transaction, writes the manifest, and marks the run succeeded with the job's cursor
 * (a chunk still pending would be copied here first). On failure it marks the run failed and removes
 * its objects itself, and the fail step tells the hub. Then backup.finished (when the job asks) and
 * retention. A retried finalize of a succeeded run only repeats those.
 */
export async function finalizeRun(deps: AwsBackupDeps, job: BackupJobSpec, runId: string): Promise<FinalizeOutput> {
  let run = await deps.runs.get(runId);
  if (!run || run.job !== job.name) throw runNotFound(runId);
  if (run.status === 'running') {
    const keeper = await keepLease(deps, job.name, runId);
    try {
      run = await executeRun({ deps, job, run, board: new ProgressBoard(), stopped: keeper.lost, lost: keeper.lost });
    } finally {
      keeper.stop();
    }
  } else if (run.status !== 'succeeded') {
    throw new CairnError('CAIRN_INTERNAL', 'internal', `Backup run ${runId} is ${run.status}; it cannot finish.`);
  }
  // Repeated as they are when Step Functions retries this task: the event keeps its id, prune is idempotent.
  await publish(deps, 'backup.finished', job, run.id, summary(run));
  let pruned = 0;
  try {
    pruned = (await pruneJob(deps, job, false)).removed.length;
  } catch (err) {
    // The run is safe; retention runs again after the next one.
    deps.logger.warn({ job: job.name, runId, err: describeError(err) }, 'backup retention failed');
  }
  await deps.lease.handle(job.name, runId, deps.leaseTtlMs).release();
  return {
    job: job.name,
    runId,
    status: run.status,
    rows: run.rows,
    bytes: run.bytes,
    hotRows: run.hotRows,
    manifestKey: run.manifestKey,
    pruned,
  };
}

/** The caught error as the core describes errors: `message (CODE)`. */
export function describeStepError(e: FailInput['error']): { code: string; message: string } {
  const code = e?.Error || 'States.Unknown';
  let message = e?.Cause ?? '';
  try {
    const cause = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof cause?.errorMessage === 'string') message = cause.errorMessage;
  } catch {
    // a plain-text cause (e.g. States.Timeout)
  }
  return { code, message: message || 'no cause given' };
}

/**
 * The state machine's catch-all. Planning failed (no run has this id: it is the execution's name):
 * the failure is recorded as a failed run, as the local service records it — unless another run held
 * the lease, which skips the fire (reported as backup.late). Otherwise the run is marked failed and
 * cleaned up (a finalize that failed did so already), the hub hears of it, and the lease is released.
 * A run whose lease another holder took is left to it.
 */
export async function failRun(deps: AwsBackupDeps, job: BackupJobSpec, input: FailInput): Promise<FailOutput> {
  const { code, message } = describeStepError(input.error);
  const reason = `${message} (${code})`;
  const found = await deps.runs.get(input.runId);
  const run = found && found.job === job.name ? found : null;
  if (!run) {
    if (code === BACKUP_RUNNING) {
      await publish(deps, 'backup.late', job, input.runId, {
        reason: 'the previous run was still going',
        skipped: true,
        scheduledFor: deps.clock.now().toISOString(),
      });
      return { job: job.name, runId: null, status: 'skipped', error: reason };
    }
    const now = deps.clock.now();
    const kind = job.source.type === 'command' || job.source.type === 'file' ? 'dump' : 'rows';
    const failed = blankRun(
      job,
      newRunId(now),
      now,
      { trigger: 'schedule' },
      { kind, schema: null, request: null, basedOn: null },
    );
    await deps.runs.create(failed, []);
    await deps.runs.fail(failed.id, reason, now);
    await publish(deps, 'backup.failed', job, input.runId, {
      ...summary((await deps.runs.get(failed.id)) ?? failed),
      error: reason,
    });
    return { job: job.name, runId: failed.id, status: 'failed', error: reason };
  }
  if (code === BACKUP_LEASE_LOST) {
    deps.logger.warn({ job: job.name, runId: run.id }, 'a backup run lost its lease; its new holder decides');
    return { job: job.name, runId: run.id, status: run.status, error: reason };
  }
  if (run.status === 'running') await failAndClean(deps, job, run, reason);
  const after = (await deps.runs.get(run.id)) ?? run;
  if (after.status === 'failed')
    await publish(deps, 'backup.failed', job, run.id, { ...summary(after), error: after.error ?? reason });
  else
    deps.logger.warn(
      { job: job.name, runId: run.id, err: reason },
      'the backup execution failed after its run succeeded',
    );
  await deps.lease.handle(job.name, run.id, deps.leaseTtlMs).release();
  return { job: job.name, runId: run.id, status: after.status, error: after.error ?? reason };
}
