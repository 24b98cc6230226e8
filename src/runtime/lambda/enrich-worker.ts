/**
 * The enrich worker on Lambda: an SQS event source on the `events` queue (ReportBatchItemFailures).
 * Each record is the core's EnrichWorker.handle — enrich, save to history (idempotent by event id),
 * publish to SNS — run by sqsBatchHandler, so one poison message does not fail its batch. A record is
 * an IngestedEvent (domain events, the HTTP route) or a webhook envelope from API Gateway's direct SQS
 * integration, verified here first (webhook-envelope.ts).
 */
import type { SQSRecord } from 'aws-lambda';
import { isCairnError } from '../../core/errors.ts';
import { IngestService } from '../../core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import type { Queue } from '../../ports/queue.ts';
import { sqsBatchHandler } from './batch.ts';
import { clients, clock, config, hub, secretEnv } from './compose.ts';
import { logger, metrics, MetricUnit } from './powertools.ts';
import { unwrapSns } from './records.ts';
import { isWebhookEnvelope, verifyEnvelope } from './webhook-envelope.ts';

/** The ingested event a record carries, or null for a webhook that fails verification (dropped). */
export async function ingestedOf(record: SQSRecord): Promise<IngestedEvent | null> {
  const body: unknown = JSON.parse(unwrapSns(record.body));
  if (!isWebhookEnvelope(body)) return body as IngestedEvent;
  const a = config().alerts;
  const vars = await secretEnv();
  try {
    return await verifyEnvelope(body, (capture) =>
      IngestService.create({
        sources: a.sources,
        maxBodyBytes: a.maxBodyBytes,
        queue: capture as unknown as Queue<IngestedEvent>,
        clock,
        secrets: {
          env: vars,
          readFile: () => {
            throw Object.assign(new Error('no files on Lambda'), { code: 'ENOENT' });
          },
        },
      }),
    );
  } catch (err) {
    if (!isCairnError(err)) throw err;
    logger.warn({ source: body.source, code: err.code }, 'webhook refused; dropped');
    metrics.addMetric('WebhooksRefused', MetricUnit.Count, 1);
    return null;
  }
}

export const handler = sqsBatchHandler<IngestedEvent | null>({
  name: 'events',
  sqs: clients.sqs,
  parse: ingestedOf,
  async handle(message) {
    if (message.body === null) return 'ack';
    return (await hub()).enrichWorker().handle({ ...message, body: message.body });
  },
});
