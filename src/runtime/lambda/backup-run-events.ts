/**
 * What the backup tasks share on Lambda: the deps (the core's BackupDeps with a lease a run id can hold
 * across invocations, and a repository that reads one chunk), the lease kept alive while a task works,
 * the events the local BackupService publishes (same types and data), and the clean-up of a run that
 * failed (the runner's own failRun, which it does not export).
 */
import { createHash } from 'node:crypto';
import type { BackupDeps } from '../../core/backups/context.ts';
import { describeError, leaseLost } from '../../core/backups/errors.ts';
import { failRun } from '../../core/backups/runner.ts';
import type { BackupJobSpec, BackupRun, ChunkRecord } from '../../core/backups/model.ts';
import type { BackupRunRepository, JobLease, LeaseHandle, TableSchema } from '../../ports/backups.ts';

export interface AwsBackupDeps extends BackupDeps {
  runs: BackupRunRepository & { chunk(runId: string, index: number): Promise<ChunkRecord | null> };
  lease: JobLease & {
    acquire(job: string, ttlMs: number, holder?: string): Promise<LeaseHandle | null>;
    handle(job: string, holder: string, ttlMs: number): LeaseHandle;
  };
}

/** The run's lease (held under its run id), renewed every third of its TTL until stop(). */
export async function keepLease(deps: AwsBackupDeps, job: string, runId: string) {
  const lease = deps.lease.handle(job, runId, deps.leaseTtlMs);
  if (!(await lease.renew())) throw leaseLost(job);
  let lost = false;
  const timer = setInterval(
    () =>
      void lease.renew().then(
        (ok) => (lost ||= !ok),
        () => {},
      ), // a missed renewal is retried
    Math.max(50, Math.floor(deps.leaseTtlMs / 3)),
  );
  timer.unref?.();
  return { lease, lost: () => lost, stop: () => clearInterval(timer) };
}

/** The hot table a run writes: the source's schema under the job's table name. */
export function hotTable(job: BackupJobSpec, run: BackupRun): TableSchema | null {
  const schema = run.plan.schema;
  return run.kind === 'rows' && schema && job.hotTable ? { ...schema, name: job.hotTable } : null;
}

/**
 * Publishes as BackupService does (each type only when the job's notify asks for it). The
 * id is derived from (type, key): a task Step Functions retries publishes the same event again, and
 * the hub keeps its first copy.
 */
export async function publish(
  deps: AwsBackupDeps,
  type: string,
  job: BackupJobSpec,
  key: string,
  data: Record<string, unknown>,
): Promise<void> {
  if (type === 'backup.failed' && !job.notify.onFailure) return;
  if (type === 'backup.finished' && !job.notify.onSuccess) return;
  if (type === 'backup.late' && !job.notify.onLate) return;
  const id = `evt_${createHash('sha256').update(`${type}\n${job.name}\n${key}`).digest('base64url').slice(0, 22)}`;
  try {
    await deps.events.publish({
      id,
      type,
      time: deps.clock.now().toISOString(),
      actor: 'cairn-backups',
      data: { job: job.name, source: job.source.type, ...data },
    });
  } catch (err) {
    deps.logger.error({ type, job: job.name, err: describeError(err) }, 'could not publish a backup event');
  }
}

/**
 * The runner's failRun (marks the run failed first, so nothing finalizes it, and deletes its cold
 * objects), then drops its hot staging area, which one process would have rolled back instead.
 */
export async function failAndClean(deps: AwsBackupDeps, job: BackupJobSpec, run: BackupRun, reason: string) {
  await failRun({ deps, job, run }, reason);
  const table = hotTable(job, run);
  const hot = table ? await deps.openHot(job).catch(() => null) : null;
  if (hot && table) {
    await hot
      .beginRun(run.id, table)
      .then((writer) => writer.abort())
      .catch((e: unknown) =>
        deps.logger.warn(
          { job: job.name, runId: run.id, err: describeError(e) },
          'could not drop a failed run’s staging',
        ),
      )
      .finally(() => hot.close().catch(() => {}));
  }
}
