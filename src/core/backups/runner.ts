/**
 * Executes a planned (or interrupted) run through its phases (run-state.ts): the pending chunks in
 * parallel, then the hot commit, then the manifest, then the cursor with the run's success. A failed
 * run aborts the hot staging area and deletes its own cold objects: earlier runs and the committed
 * cursor stay as they were.
 */
import type { BackupSource, HotRunWriter, HotTarget, TableSchema } from '../../ports/backups.ts';
import { isCairnError } from '../errors.ts';
import { type ChunkContext, runDumpChunk, runRowChunk } from './chunk-task.ts';
import { maxPosition } from './cursor.ts';
import { BACKUP_LEASE_LOST, describeError, leaseLost } from './errors.ts';
import { manifestKey } from './keys.ts';
import { buildManifest } from './manifest.ts';
import type { BackupRun, ChunkRecord } from './model.ts';
import { runPool, withRetry } from './pool.ts';
import { passed } from './run-state.ts';

export interface RunHandle extends ChunkContext {
  /** True once the lease was lost: stop, and leave the run to its new holder. */
  lost: () => boolean;
}

export async function executeRun(h: RunHandle): Promise<BackupRun> {
  const { deps, job, run } = h;
  let source: BackupSource | null = null;
  let hot: HotTarget | null = null;
  let writer: HotRunWriter | null = null;
  let phase = run.phase;
  const guard = () => {
    if (h.lost()) throw leaseLost(job.name);
  };
  try {
    if (!passed(phase, 'hot-committed')) {
      const pending = (await deps.runs.chunks(run.id)).filter((c) => c.status === 'pending');
      const schema = run.plan.schema;
      if (run.kind === 'rows' && schema) {
        hot = await deps.openHot(job);
        if (hot) {
          const table: TableSchema = { ...schema, name: job.hotTable ?? schema.name };
          await hot.prepare(table);
          writer = await hot.beginRun(run.id, table);
        }
      }
      if (pending.length > 0) source = await deps.openSource(job);
      let failed = false;
      await runPool(pending, job.concurrency, async (chunk, stopped) => {
        const stop = () => stopped() || failed || h.lost();
        const ctx: ChunkContext = { ...h, stopped: stop };
        await withRetry(
          () => {
            if (source!.kind === 'dump') return runDumpChunk(ctx, source!, chunk);
            return runRowChunk(ctx, source!, chunk, run.plan.request!, writer);
          },
          {
            retries: job.retries,
            backoffMs: job.backoffMs,
            ...(deps.sleep ? { sleep: deps.sleep } : {}),
            onRetry: async (attempt, err) => {
              deps.logger.warn(
                { job: job.name, runId: run.id, chunk: chunk.index, attempt, err: describeError(err) },
                'backup chunk failed; retrying',
              );
              await deps.runs.chunkAttemptFailed(run.id, chunk.index, describeError(err));
            },
          },
          stop,
        ).catch((err: unknown) => {
          failed = true;
          throw err;
        });
        h.board.update(run.id, { chunksDone: (h.board.get(run.id)?.chunksDone ?? 0) + 1 });
        await deps.onChunkDone?.(run.id, chunk.index);
      });
      guard();
      const committed = writer ? await writer.commit() : null;
      writer = null;
      await deps.runs.setPhase(run.id, 'hot-committed', committed ? { hotRows: committed.rows } : {});
      phase = 'hot-committed';
    }
    const chunks = await deps.runs.chunks(run.id);
    const cursorTo =
      job.cursor && run.kind === 'rows' ? chunks.reduce((p, c) => maxPosition(p, c.maxCursor), run.cursorFrom) : null;
    if (!passed(phase, 'manifest-written')) {
      guard();
      const key = manifestKey(job.name, run.id);
      await deps.cold.putManifest(key, buildManifest(job, run, chunks, cursorTo, deps.clock.now()));
      await deps.runs.setPhase(run.id, 'manifest-written', { manifestKey: key });
    }
    guard();
    await deps.runs.succeed(
      run.id,
      deps.clock.now(),
      job.cursor && cursorTo ? { column: job.cursor.column, position: cursorTo, runId: run.id } : null,
    );
  } catch (err) {
    // A lost lease means another holder resumes this very run: leave its staging area and objects alone.
    if (!(isCairnError(err) && err.code === BACKUP_LEASE_LOST)) {
      if (writer) await (writer as HotRunWriter).abort().catch(() => {});
      await failRun(h, err);
    }
    throw err;
  } finally {
    await source?.close().catch(() => {});
    await hot?.close().catch(() => {});
  }
  return (await deps.runs.get(run.id))!;
}

/**
 * Marks the run failed (first, so it is never resumed), then removes its cold objects: its chunks so
 * far and a manifest if any. Objects left by a crash in between go when prune drops the run's record.
 */
export async function failRun(h: Pick<RunHandle, 'deps' | 'job' | 'run'>, err: unknown): Promise<void> {
  const { deps, job, run } = h;
  await deps.runs.fail(run.id, describeError(err), deps.clock.now());
  const chunks: ChunkRecord[] = await deps.runs.chunks(run.id).catch(() => []);
  const keys = chunks.flatMap((c) => (c.stored ? [c.stored.key] : []));
  await deps.cold.delete([manifestKey(job.name, run.id), ...keys]).catch((e: unknown) => {
    deps.logger.warn(
      { job: job.name, runId: run.id, err: describeError(e) },
      'could not remove a failed run’s objects',
    );
  });
}
