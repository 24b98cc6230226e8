/**
 * Step Functions tasks of a backup run, told apart by the payload's `action` (the state machine in
 * infra/lib/constructs/private/backup-workflow.ts sends it): `plan` (the default) splits a run into the
 * chunks of the Map state that follows; `finalize` ends it (hot commit, manifest, cursor, retention);
 * `fail` marks it failed and tells the hub. The work is in backup-tasks.ts; errors leave named by
 * their CAIRN_* code, so the state machine's catch and the fail step can tell them apart.
 */
import type { Context } from 'aws-lambda';
import { lambdaBackupTasks } from './backup-compose.ts';
import {
  asTaskError,
  type BackupTasks,
  type FailInput,
  type FailOutput,
  type FinalizeInput,
  type FinalizeOutput,
  type PlanInput,
  type PlanOutput,
} from './backup-tasks.ts';
import { logger, metrics, MetricUnit, powertoolsLogger } from './powertools.ts';

export type PlannerInput = PlanInput | FinalizeInput | FailInput;
type Tasks = Pick<BackupTasks, 'plan' | 'finalize' | 'fail'>;

export function backupPlannerHandler(tasks: Tasks | (() => Tasks)) {
  const of = typeof tasks === 'function' ? tasks : () => tasks;
  return async (input: PlannerInput, context?: Context): Promise<PlanOutput | FinalizeOutput | FailOutput> => {
    if (context) powertoolsLogger.addContext(context);
    if (typeof input?.job !== 'string' || input.job === '') throw new TypeError('input.job: the job name is required');
    const action = input.action ?? 'plan';
    try {
      if (action === 'plan') {
        const out = await of().plan(input as PlanInput);
        metrics.addMetric('BackupChunksPlanned', MetricUnit.Count, out.chunks.length);
        logger.info({ job: out.job, runId: out.runId, chunks: out.chunks.length }, 'backup run planned');
        return out;
      }
      if (typeof (input as { runId?: unknown }).runId !== 'string')
        throw new TypeError(`input.runId: the run id is required to ${action}`);
      if (action === 'finalize') {
        const out = await of().finalize(input as FinalizeInput);
        metrics.addMetric('BackupRunsSucceeded', MetricUnit.Count, 1);
        logger.info({ job: out.job, runId: out.runId, rows: out.rows, pruned: out.pruned }, 'backup run finished');
        return out;
      }
      if (action === 'fail') {
        const out = await of().fail(input as FailInput);
        if (out.status === 'failed') metrics.addMetric('BackupRunsFailed', MetricUnit.Count, 1);
        logger.error({ job: out.job, runId: out.runId, status: out.status, err: out.error }, 'backup run failed');
        return out;
      }
      throw new TypeError(`input.action: "${String(action)}" is not plan, finalize or fail`);
    } catch (err) {
      throw asTaskError(err);
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}

export const handler = backupPlannerHandler(lambdaBackupTasks);
