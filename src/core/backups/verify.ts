/**
 * Verify: re-read every object a run's manifest lists, checking the SHA-256 of the stored bytes and
 * (for chunks) the row count. The manifest in cold storage is the reference, not the run history.
 */
import type { ObjectCheck, StoredObjectRef } from '../../ports/backups.ts';
import type { BackupDeps } from './context.ts';
import { describeError, manifestInvalid } from './errors.ts';
import { manifestKey } from './keys.ts';
import { type Manifest, parseManifest } from './manifest.ts';
import type { BackupRun } from './model.ts';

export interface VerifyReport {
  runId: string;
  ok: boolean;
  chunks: number;
  rows: number;
  bytes: number;
  /** One entry per object that failed, naming its key. */
  problems: { key: string; problem: string }[];
}

export async function loadManifest(deps: BackupDeps, run: BackupRun): Promise<Manifest> {
  const key = run.manifestKey ?? manifestKey(run.job, run.id);
  const manifest = parseManifest(key, await deps.cold.getManifest(key));
  if (manifest.runId !== run.id || manifest.job !== run.job)
    throw manifestInvalid(key, `the manifest belongs to ${manifest.job}/${manifest.runId}`);
  return manifest;
}

/** Checks objects with a few in flight at once; every failure is collected, none stops the others. */
export async function checkAll(
  deps: BackupDeps,
  refs: readonly StoredObjectRef[],
  kind: 'rows' | 'dump',
  concurrency: number,
): Promise<ObjectCheck[]> {
  const results: ObjectCheck[] = new Array(refs.length);
  let next = 0;
  const lane = async () => {
    while (next < refs.length) {
      const i = next++;
      const ref = refs[i]!;
      results[i] = await deps.cold.check(ref, kind).catch((e: unknown) => ({
        key: ref.key,
        ok: false,
        problem: `unreadable: ${describeError(e)}`,
      }));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, refs.length)) }, lane));
  return results;
}

export async function verifyRun(deps: BackupDeps, run: BackupRun, concurrency = 4): Promise<VerifyReport> {
  let manifest: Manifest;
  try {
    manifest = await loadManifest(deps, run);
  } catch (e) {
    const key = run.manifestKey ?? manifestKey(run.job, run.id);
    const report = {
      runId: run.id,
      ok: false,
      chunks: 0,
      rows: 0,
      bytes: 0,
      problems: [{ key, problem: describeError(e) }],
    };
    await deps.runs.recordVerify(run.id, false, report.problems[0]!.problem, deps.clock.now());
    return report;
  }
  const checks = await checkAll(deps, manifest.chunks, manifest.kind, concurrency);
  const problems = checks.filter((c) => !c.ok).map((c) => ({ key: c.key, problem: c.problem ?? 'failed' }));
  const ok = problems.length === 0;
  const summary = ok ? null : problems.map((p) => `${p.key}: ${p.problem}`).join('; ');
  await deps.runs.recordVerify(run.id, ok, summary, deps.clock.now());
  return { runId: run.id, ok, chunks: manifest.chunks.length, rows: manifest.rows, bytes: manifest.bytes, problems };
}
