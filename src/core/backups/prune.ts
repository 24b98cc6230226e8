/**
 * Prune: apply the job's retention to its kept runs (retention.ts) and delete the cold objects of the
 * runs that go — the manifest first, so a half-deleted run is never taken for a complete one, then its
 * chunks. The run stays in the history, marked pruned, until `retention.hot` passes; failed runs'
 * records (and any objects a crash left behind) go then too. A dry run deletes nothing.
 */
import type { BackupDeps } from './context.ts';
import { manifestKey } from './keys.ts';
import type { BackupJobSpec } from './model.ts';
import { applyRetention } from './retention.ts';

export interface PruneReport {
  dryRun: boolean;
  removed: { runId: string; finishedAt: string; reason: string; objects: number }[];
  kept: { runId: string; reasons: string[] }[];
  /** Run records dropped from the history (failed or pruned runs older than retention.hot). */
  forgotten: string[];
}

export async function pruneJob(deps: BackupDeps, job: BackupJobSpec, dryRun: boolean): Promise<PruneReport> {
  const now = deps.clock.now();
  const runs = await deps.runs.succeeded(job.name);
  const decision = applyRetention(
    runs.map((r) => ({
      id: r.id,
      mode: r.mode,
      finishedAt: r.finishedAt ?? r.startedAt,
      verifiedOk: r.verifyOk,
      basedOn: r.plan.basedOn,
    })),
    job.retention,
    now,
    job.timeZone,
  );
  const report: PruneReport = { dryRun, removed: [], kept: [], forgotten: [] };
  report.kept = decision.keep.map((k) => ({ runId: k.id, reasons: k.reasons }));
  for (const r of decision.remove) {
    const keys = await objectKeys(deps, job.name, r.id);
    report.removed.push({
      runId: r.id,
      finishedAt: r.finishedAt.toISOString(),
      reason: r.reason,
      objects: keys.length,
    });
    if (dryRun) continue;
    await deps.cold.delete(keys);
    await deps.runs.markPruned(r.id, now);
  }
  if (job.retention.hot !== undefined) {
    for (const stale of await deps.runs.stale(job.name, new Date(now.getTime() - job.retention.hot * 1000))) {
      report.forgotten.push(stale.id);
      if (dryRun) continue;
      if (!stale.prunedAt) await deps.cold.delete(await objectKeys(deps, job.name, stale.id));
      await deps.runs.remove(stale.id);
    }
  }
  return report;
}

/** The manifest first, then every chunk the history knows of. */
async function objectKeys(deps: BackupDeps, job: string, runId: string): Promise<string[]> {
  const chunks = await deps.runs.chunks(runId);
  return [manifestKey(job, runId), ...chunks.flatMap((c) => (c.stored ? [c.stored.key] : []))];
}
