/**
 * The notifier on Lambda, subscribed to the hub's SNS topic — directly (SNS event) or through an SQS
 * queue (SQS event, ReportBatchItemFailures). Each message names an event; the core's Notifier checks
 * silences, routes it and groups it, queueing due notifications on the `channels` queue. Each
 * invocation then flushes the groups that are due, and an EventBridge schedule (rate(1 minute))
 * invokes it with a scheduled event to flush groups whose wait or interval ended in a quiet time.
 */
import type { Context, ScheduledEvent, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsBatchHandler } from './batch.ts';
import { clients, hub } from './compose.ts';
import { logger, metrics, MetricUnit } from './powertools.ts';
import { eventIdOf, snsMessageOf } from './records.ts';

const fromQueue = sqsBatchHandler<{ eventId: string }>({
  name: 'notify',
  sqs: clients.sqs,
  parse: (record) => eventIdOf(record.body),
  handle: async (message) => (await hub()).notifier().handle(message),
});

async function tick(): Promise<void> {
  const sent = await (await hub()).notifier().tick();
  if (sent.length > 0) metrics.addMetric('NotificationsQueued', MetricUnit.Count, sent.length);
}

export async function handler(
  event: SQSEvent | SNSEvent | ScheduledEvent,
  context: Context,
): Promise<SQSBatchResponse | void> {
  try {
    if ('Records' in event && event.Records[0] && 'Sns' in event.Records[0]) {
      for (const record of (event as SNSEvent).Records) {
        const outcome = await (await hub()).notifier().handle(snsMessageOf(record, eventIdOf));
        // No receipt to delay: fail the invocation; Lambda retries it, then the subscription's DLQ.
        if (outcome !== 'ack') throw new Error(`notifier step failed: ${outcome.error}`);
      }
      await tick();
      return;
    }
    if ('Records' in event) {
      const response = await fromQueue(event as SQSEvent, context);
      await tick();
      return response;
    }
    await tick();
  } catch (err) {
    logger.error({ err: String(err) }, 'notifier invocation failed');
    throw err;
  } finally {
    metrics.publishStoredMetrics();
  }
}
