/** Runs and jobs as the API and the CLI show them: UTC ISO 8601 times, no secrets. */
import type { BackupJobSpec, BackupRun, RunProgress } from './model.ts';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export function runView(run: BackupRun, progress: RunProgress | null = null) {
  return {
    id: run.id,
    job: run.job,
    mode: run.mode,
    kind: run.kind,
    status: run.status,
    phase: run.phase,
    trigger: run.trigger,
    scheduledFor: iso(run.scheduledFor),
    startedAt: iso(run.startedAt),
    finishedAt: iso(run.finishedAt),
    durationMs: run.finishedAt ? run.finishedAt.getTime() - run.startedAt.getTime() : null,
    chunksTotal: run.chunksTotal,
    chunksDone: progress?.chunksDone ?? run.chunksDone,
    rows: progress?.rows ?? run.rows,
    bytes: progress?.bytes ?? run.bytes,
    hotRows: run.hotRows,
    cursor: run.plan.request?.cursor
      ? { column: run.plan.request.cursor.column, from: run.cursorFrom, to: run.cursorTo }
      : null,
    basedOn: run.plan.basedOn,
    manifestKey: run.manifestKey,
    error: run.error,
    verify: run.verifiedAt ? { at: iso(run.verifiedAt), ok: run.verifyOk, error: run.verifyError } : null,
    prunedAt: iso(run.prunedAt),
    live: progress !== null,
  };
}

export function jobView(job: BackupJobSpec) {
  return {
    name: job.name,
    mode: job.mode,
    source: job.source,
    cursor: job.cursor,
    schedule: { ...job.schedule, timeZone: job.timeZone },
    hotTable: job.hotTable,
    chunkRows: job.chunkRows,
    concurrency: job.concurrency,
    retention: job.retention,
    missedRunPolicy: job.missedRunPolicy,
  };
}
