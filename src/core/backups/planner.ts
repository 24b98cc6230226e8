/**
 * Plans a run: full or incremental, from which cursor position, in which chunks. An incremental job
 * without a committed cursor (its first run, or its cursor column changed) runs full, so every chain of
 * incrementals starts from a full run.
 */
import type { BackupSource, ChunkSpec, PlanRequest } from '../../ports/backups.ts';
import type { BackupDeps } from './context.ts';
import { newRunId } from './keys.ts';
import type { BackupJobSpec, BackupRun, RunPlan, RunTrigger } from './model.ts';

export interface StartOptions {
  full?: boolean;
  trigger?: RunTrigger;
  scheduledFor?: Date | null;
}

export function blankRun(job: BackupJobSpec, id: string, now: Date, options: StartOptions, plan: RunPlan): BackupRun {
  return {
    id,
    job: job.name,
    mode: 'full',
    kind: plan.kind,
    status: 'running',
    phase: 'chunks',
    trigger: options.trigger ?? 'manual',
    scheduledFor: options.scheduledFor ?? null,
    startedAt: now,
    finishedAt: null,
    plan,
    cursorFrom: null,
    cursorTo: null,
    chunksTotal: 0,
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
  };
}

export async function planRun(
  deps: BackupDeps,
  job: BackupJobSpec,
  source: BackupSource,
  options: StartOptions,
  runId = newRunId(deps.clock.now()),
): Promise<{ run: BackupRun; chunks: ChunkSpec[] }> {
  const now = deps.clock.now();
  if (source.kind === 'dump') {
    const run = blankRun(job, runId, now, options, { kind: 'dump', schema: null, request: null, basedOn: null });
    const chunks = [{ index: 0, label: 'dump', params: {} }];
    return { run: { ...run, chunksTotal: 1 }, chunks };
  }
  const schema = await source.describe();
  const committed = job.cursor ? await deps.runs.cursor(job.name) : null;
  const usable = committed && job.cursor && committed.column === job.cursor.column ? committed : null;
  const incremental = job.mode === 'incremental' && !options.full && usable !== null;
  const request: PlanRequest = {
    mode: incremental ? 'incremental' : 'full',
    cursor: job.cursor ? { column: job.cursor.column, after: incremental ? usable!.position : null } : null,
    chunkRows: job.chunkRows,
  };
  const chunks = await source.plan(request);
  const plan: RunPlan = { kind: 'rows', schema, request, basedOn: incremental ? usable!.runId : null };
  const run = blankRun(job, runId, now, options, plan);
  return {
    run: {
      ...run,
      mode: request.mode,
      cursorFrom: incremental ? usable!.position : null,
      chunksTotal: chunks.length,
    },
    chunks,
  };
}
