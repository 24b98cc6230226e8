/**
 * Step Functions task: backs up one chunk of a run (the Map state's iterator, with retries and a
 * concurrency limit in the state machine). It throws on failure so the state machine's Retry/Catch
 * apply; a retried chunk is idempotent in the core. Thin wrapper over BackupTasks.runChunk (pending).
 */
import type { Context } from 'aws-lambda';
import { type BackupTasks, type ChunkInput, type ChunkOutput, pendingBackupTasks } from './backup-tasks.ts';
import { logger, metrics, MetricUnit, powertoolsLogger } from './powertools.ts';

export function backupChunkHandler(tasks: BackupTasks) {
  return async (input: ChunkInput, context?: Context): Promise<ChunkOutput> => {
    if (context) powertoolsLogger.addContext(context);
    if (typeof input?.runId !== 'string' || !Number.isInteger(input?.chunk?.index))
      throw new TypeError('input: { job, runId, chunk: { index } } is required');
    try {
      const out = await tasks.runChunk(input);
      metrics.addMetric('BackupRowsCopied', MetricUnit.Count, out.rows);
      logger.info({ job: out.job, runId: out.runId, index: out.index, rows: out.rows }, 'backup chunk done');
      return out;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler = backupChunkHandler(pendingBackupTasks);
