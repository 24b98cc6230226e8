/**
 * One attempt at one chunk: stream its rows (in batches, never whole) into a compressed cold object and
 * into the hot run's staging area, then record the chunk done. Nothing of a failed attempt is kept in
 * cold storage; the hot staging area upserts, so a retried chunk leaves no duplicates there.
 */
import type { DumpSource, HotRunWriter, PlanRequest, RowSource } from '../../ports/backups.ts';
import type { BackupDeps, ProgressBoard } from './context.ts';
import { PositionTracker } from './cursor.ts';
import { chunkKey, dumpKey } from './keys.ts';
import type { BackupJobSpec, BackupRun, ChunkRecord } from './model.ts';

export interface ChunkContext {
  deps: BackupDeps;
  job: BackupJobSpec;
  run: BackupRun;
  board: ProgressBoard;
  /** True once the run must stop (another chunk failed, or the lease was lost). */
  stopped: () => boolean;
}

class Stopped extends Error {
  constructor() {
    super('the run stopped');
  }
}

export async function runRowChunk(
  ctx: ChunkContext,
  source: RowSource,
  chunk: ChunkRecord,
  request: PlanRequest,
  hot: HotRunWriter | null,
): Promise<void> {
  const { deps, job, run, board } = ctx;
  const out = deps.cold.openChunk(chunkKey(job.name, run.id, chunk.index), { level: job.compressionLevel });
  const key = run.plan.schema?.primaryKey ?? [];
  const tracker = job.cursor ? new PositionTracker(job.cursor.column, key) : null;
  let rows = 0;
  try {
    for await (const batch of source.read(chunk, request)) {
      if (ctx.stopped()) throw new Stopped();
      if (batch.length === 0) continue;
      await Promise.all([out.write(batch), hot?.write(batch)]);
      tracker?.add(batch);
      rows += batch.length;
      board.update(run.id, { addRows: batch.length });
    }
    const stored = await out.finish();
    await deps.runs.chunkDone(run.id, chunk.index, stored, tracker?.max ?? null);
    board.update(run.id, { addBytes: stored.bytes });
  } catch (err) {
    await out.abort(err).catch(() => {});
    board.update(run.id, { addRows: -rows });
    throw err;
  }
}

export async function runDumpChunk(ctx: ChunkContext, source: DumpSource, chunk: ChunkRecord): Promise<void> {
  const { deps, job, run, board } = ctx;
  const { body, fileName } = await source.open();
  const stored = await deps.cold.putDump(dumpKey(job.name, run.id, fileName), body);
  await deps.runs.chunkDone(run.id, chunk.index, stored, null);
  board.update(run.id, { addBytes: stored.bytes });
}
