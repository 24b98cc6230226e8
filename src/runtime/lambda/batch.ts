/**
 * Runs a core step (HandleOutcome) over an SQS batch with Powertools' BatchProcessor: each record is
 * handled on its own; a record whose step asks to retry later gets ChangeMessageVisibility(backoff) and
 * is reported in batchItemFailures, so one poison message never fails its batch and SQS's redrive
 * policy dead-letters it after maxReceiveCount receives. The rest of the batch is deleted by Lambda.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { SqsQueue } from '../../adapters/aws/sqs-queue.ts';
import type { HandleOutcome } from '../../core/alerts/workers/outcome.ts';
import type { QueueMessage } from '../../ports/queue.ts';
import { queueUrlOf, sdkMessageOf } from './records.ts';
import { logger, metrics, MetricUnit } from './powertools.ts';

export interface BatchStep<T> {
  /** Turns a record into the message the step takes (throwing: a poison message, retried then dead-lettered). */
  parse(record: SQSRecord): T | Promise<T>;
  handle(message: QueueMessage<T>): Promise<HandleOutcome>;
  sqs: () => SQSClient;
  /** Name for logs and metrics (`events`, `channels`…). */
  name: string;
}

export class RetryLater extends Error {
  override readonly name = 'RetryLater';
}

export function sqsBatchHandler<T>(step: BatchStep<T>) {
  const processor = new BatchProcessor(EventType.SQS);
  const queues = new Map<string, SqsQueue<T>>();
  const queueFor = (record: SQSRecord) => {
    const url = queueUrlOf(record);
    let q = queues.get(url);
    if (!q)
      queues.set(
        url,
        (q = new SqsQueue<T>({ client: step.sqs(), name: step.name, queueUrl: url, maxReceiveCount: 1 })),
      );
    return q;
  };
  const record = async (r: SQSRecord): Promise<void> => {
    const queue = queueFor(r);
    const raw = queue.toMessage({ ...sdkMessageOf(r), Body: 'null' });
    const message: QueueMessage<T> = { ...raw, body: await step.parse(r) };
    const outcome = await step.handle(message);
    if (outcome === 'ack') {
      metrics.addMetric(`${step.name}Handled`, MetricUnit.Count, 1);
      return;
    }
    metrics.addMetric(`${step.name}Retried`, MetricUnit.Count, 1);
    await queue.retryLater(message, outcome.retryAfterSeconds, outcome.error);
    throw new RetryLater(outcome.error);
  };
  return async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    try {
      return await processPartialResponse(event, record, processor, { context });
    } catch (err) {
      // Every record failed: Powertools throws; report them all so none is deleted.
      logger.warn({ queue: step.name, err: String(err) }, 'every record of the batch failed');
      return { batchItemFailures: event.Records.map((r) => ({ itemIdentifier: r.messageId })) };
    } finally {
      metrics.publishStoredMetrics();
    }
  };
}
