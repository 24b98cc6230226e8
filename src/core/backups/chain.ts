/** The runs to replay for "the state as of a run": its full run, then every incremental up to it. */
import { chainBroken, notRestorable } from './errors.ts';
import type { BackupRun } from './model.ts';

export function restoreChain(target: BackupRun, kept: readonly BackupRun[]): BackupRun[] {
  if (target.status !== 'succeeded')
    throw notRestorable(`Run ${target.id} is ${target.status}; only a succeeded run restores.`);
  if (target.prunedAt) throw notRestorable(`Run ${target.id} was pruned on ${target.prunedAt.toISOString()}.`);
  const byId = new Map(kept.map((r) => [r.id, r]));
  const chain: BackupRun[] = [target];
  let run = target;
  while (run.mode === 'incremental') {
    const base = run.plan.basedOn ? byId.get(run.plan.basedOn) : undefined;
    if (!base) {
      throw chainBroken(
        `Run ${run.id} continues ${run.plan.basedOn ?? 'nothing'}, which is no longer kept; restore ${target.id} alone with --only-run.`,
      );
    }
    chain.unshift(base);
    run = base;
  }
  return chain;
}
