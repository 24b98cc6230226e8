/**
 * Step Functions task: backs up one chunk of a run (the Map state's iterator, with retries and a
 * concurrency limit in the state machine). It throws on failure so the state machine's Retry/Catch
 * apply; a chunk recorded done is skipped, so a retried task copies nothing twice (backup-tasks.ts).
 */
import type { Context } from 'aws-lambda';
import { lambdaBackupTasks } from './backup-compose.ts';
import { asTaskError, type BackupTasks, type ChunkInput, type ChunkOutput } from './backup-tasks.ts';
import { logger, metrics, MetricUnit, powertoolsLogger } from './powertools.ts';

type Tasks = Pick<BackupTasks, 'runChunk'>;

export function backupChunkHandler(tasks: Tasks | (() => Tasks)) {
  const of = typeof tasks === 'function' ? tasks : () => tasks;
  return async (input: ChunkInput, context?: Context): Promise<ChunkOutput> => {
    if (context) powertoolsLogger.addContext(context);
    if (typeof input?.job !== 'string' || typeof input?.runId !== 'string' || !Number.isInteger(input?.chunk?.index))
      throw new TypeError('input: { job, runId, chunk: { index } } is required');
    try {
      const out = await of().runChunk(input);
      metrics.addMetric('BackupRowsCopied', MetricUnit.Count, out.skipped ? 0 : out.rows);
      logger.info(
        { job: out.job, runId: out.runId, index: out.index, rows: out.rows, skipped: out.skipped },
        'backup chunk done',
      );
      return out;
    } catch (err) {
      throw asTaskError(err);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler = backupChunkHandler(lambdaBackupTasks);
