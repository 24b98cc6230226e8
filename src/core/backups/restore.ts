/**
 * Restore a run, or the state as of a run (its full run, then each incremental up to it, upserted in
 * order). Every object is checked first, so a corrupted chunk is refused before the target is touched;
 * rows then go through the target's staging area and become visible in one commit.
 */
import type { HotTarget, RestoreDirectory, TableSchema } from '../../ports/backups.ts';
import { restoreChain } from './chain.ts';
import type { BackupDeps } from './context.ts';
import { chunkCorrupt, notRestorable, restoreTargetNotEmpty } from './errors.ts';
import type { Manifest } from './manifest.ts';
import type { BackupRun } from './model.ts';
import { checkAll, loadManifest } from './verify.ts';
import { randomId } from '../ids.ts';

export type RestoreTarget =
  | { kind: 'table'; target: HotTarget; table: string; label: string }
  | { kind: 'dir'; dir: RestoreDirectory; label: string };

export interface RestoreOptions {
  /** Restore this run's rows alone instead of the state as of it. */
  onlyRun?: boolean;
  /** Upsert into a table that already holds rows. */
  merge?: boolean;
}

export interface RestoreReport {
  target: string;
  runs: string[];
  chunks: number;
  rows: number;
}

export async function restoreRun(
  deps: BackupDeps,
  run: BackupRun,
  kept: readonly BackupRun[],
  to: RestoreTarget,
  options: RestoreOptions = {},
): Promise<RestoreReport> {
  const chain = options.onlyRun ? [run] : restoreChain(run, kept);
  const manifests: Manifest[] = [];
  for (const r of chain) manifests.push(await loadManifest(deps, r));
  for (const m of manifests) {
    const failed = (await checkAll(deps, m.chunks, m.kind, 4)).filter((c) => !c.ok);
    if (failed.length > 0) throw chunkCorrupt(failed[0]!.key, `${failed[0]!.problem}; nothing was restored`);
  }
  const report: RestoreReport = { target: to.label, runs: chain.map((r) => r.id), chunks: 0, rows: 0 };
  if (to.kind === 'dir') return restoreToDir(deps, manifests, to.dir, report);
  if (manifests.some((m) => m.kind === 'dump'))
    throw notRestorable('A dump restores to a directory (--to DIR); load it with the legacy system’s own tool.');
  const schema = mergedSchema(manifests, to.table);
  if (!options.merge) {
    const existing = await to.target.fingerprint(to.table).catch(() => ({ rows: 0 }));
    if (existing.rows > 0) throw restoreTargetNotEmpty(`${to.label} table ${to.table}`);
  }
  await to.target.prepare(schema);
  const writer = await to.target.beginRun(`restore_${randomId(10)}`, schema);
  try {
    for (const m of manifests) {
      for (const chunk of m.chunks) {
        for await (const rows of deps.cold.readChunk(chunk)) await writer.write(rows);
        report.chunks += 1;
      }
    }
    report.rows = (await writer.commit()).rows;
  } catch (err) {
    await writer.abort().catch(() => {});
    throw err;
  }
  return report;
}

/** Columns of every run in the chain (a later run may have more), keyed as the newest run says. */
function mergedSchema(manifests: Manifest[], table: string): TableSchema {
  const columns = new Map<string, TableSchema['columns'][number]>();
  for (const m of manifests)
    for (const c of m.schema?.columns ?? []) if (!columns.has(c.name)) columns.set(c.name, c as never);
  const last = manifests[manifests.length - 1]!;
  return { name: table, columns: [...columns.values()], primaryKey: last.schema?.primaryKey ?? [] };
}

async function restoreToDir(deps: BackupDeps, manifests: Manifest[], dir: RestoreDirectory, report: RestoreReport) {
  const encoder = new TextEncoder();
  try {
    for (const m of manifests) {
      await dir.write(`${m.runId}/manifest.json`, once(encoder.encode(JSON.stringify(m, null, 2) + '\n')));
      for (const chunk of m.chunks) {
        const name = chunk.key.slice(chunk.key.lastIndexOf('/') + 1);
        if (m.kind === 'dump') {
          await dir.write(`${m.runId}/${name}`, deps.cold.readDump(chunk));
        } else {
          await dir.write(`${m.runId}/${name.replace(/\.gz$/, '')}`, ndjson(deps.cold.readChunk(chunk), encoder));
          report.rows += chunk.rows;
        }
        report.chunks += 1;
      }
    }
    await dir.commit();
  } catch (err) {
    await dir.abort().catch(() => {});
    throw err;
  }
  return report;
}

async function* once(bytes: Uint8Array) {
  yield bytes;
}

async function* ndjson(batches: AsyncIterable<Record<string, unknown>[]>, encoder: TextEncoder) {
  for await (const rows of batches)
    if (rows.length > 0) yield encoder.encode(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
}
