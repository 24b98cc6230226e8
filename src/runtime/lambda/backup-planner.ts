/**
 * Step Functions task: plans one backup run (the job's chunks) for the Map state that follows.
 * A thin wrapper: the work is BackupTasks.plan (backup-tasks.ts; pending the AWS backup wiring).
 */
import type { Context } from 'aws-lambda';
import { type BackupTasks, type PlanInput, type PlanOutput, pendingBackupTasks } from './backup-tasks.ts';
import { logger, metrics, MetricUnit, powertoolsLogger } from './powertools.ts';

export function backupPlannerHandler(tasks: BackupTasks) {
  return async (input: PlanInput, context?: Context): Promise<PlanOutput> => {
    if (context) powertoolsLogger.addContext(context);
    if (typeof input?.job !== 'string' || input.job === '') throw new TypeError('input.job: the job name is required');
    try {
      const out = await tasks.plan(input);
      metrics.addMetric('BackupChunksPlanned', MetricUnit.Count, out.chunks.length);
      logger.info({ job: out.job, runId: out.runId, chunks: out.chunks.length }, 'backup run planned');
      return out;
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler = backupPlannerHandler(pendingBackupTasks);
