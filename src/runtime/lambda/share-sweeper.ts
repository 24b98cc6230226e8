/**
 * The share sweeper on Lambda, invoked by an EventBridge schedule (every `sharing.sweepInterval`):
 * the core's ShareSweeper marks due shares expired (telling the hub), deletes the S3 objects of files
 * no active share uses and of abandoned uploads. Each step is idempotent, so overlapping or repeated
 * runs are harmless. (Incomplete multipart uploads are the bucket lifecycle rule's job.)
 */
import type { Context, ScheduledEvent } from 'aws-lambda';
import type { SweepResult } from '../../core/sharing/sweeper.ts';
import { sharing } from './compose.ts';
import { logger, metrics, MetricUnit, powertoolsLogger } from './powertools.ts';

export async function handler(_event: ScheduledEvent, context: Context): Promise<SweepResult> {
  powertoolsLogger.addContext(context);
  try {
    const result = await sharing().sweeper.sweep();
    metrics.addMetric('SharesExpired', MetricUnit.Count, result.expiredShares);
    metrics.addMetric('FilesRemoved', MetricUnit.Count, result.removedFiles + result.abandonedUploads);
    return result;
  } catch (err) {
    logger.error({ err: String(err) }, 'sweep failed');
    throw err;
  } finally {
    metrics.publishStoredMetrics();
  }
}
