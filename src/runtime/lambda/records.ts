/**
 * Lambda event records as the core's QueueMessages. SQS records (an event source mapping with
 * ReportBatchItemFailures) keep their receipt handle, so a handler's "retry later" becomes a
 * ChangeMessageVisibility (the backoff) plus a batch item failure (SQS keeps the message and its
 * receive count; the redrive policy dead-letters it). SNS records (a direct Lambda subscription) have
 * no receipt: a failure is thrown, and Lambda's asynchronous retries and the subscription's DLQ apply.
 * Bodies may be raw or wrapped in SNS's envelope (an SQS queue subscribed without raw delivery).
 */
import type { Message } from '@aws-sdk/client-sqs';
import type { SNSEventRecord, SQSRecord } from 'aws-lambda';
import type { QueueMessage } from '../../ports/queue.ts';

/** An SQS record in the SDK's Message shape (what SqsQueue.toMessage reads). */
export function sdkMessageOf(record: SQSRecord): Message {
  return {
    MessageId: record.messageId,
    ReceiptHandle: record.receiptHandle,
    Body: record.body,
    Attributes: {
      ApproximateReceiveCount: record.attributes.ApproximateReceiveCount,
      SentTimestamp: record.attributes.SentTimestamp,
    },
    MessageAttributes: Object.fromEntries(
      Object.entries(record.messageAttributes ?? {}).map(([k, v]) => [
        k,
        { DataType: v.dataType, StringValue: v.stringValue },
      ]),
    ),
  };
}

/** The queue URL of the queue a record came from (`arn:aws:sqs:<region>:<account>:<name>`). */
export function queueUrlOf(record: SQSRecord): string {
  const [, , , region, account, name] = record.eventSourceARN.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
}

/** The message body, unwrapped from an SNS envelope when there is one. */
export function unwrapSns(body: string): string {
  try {
    const v = JSON.parse(body) as { Type?: unknown; Message?: unknown; TopicArn?: unknown };
    if (v && v.Type === 'Notification' && typeof v.Message === 'string' && typeof v.TopicArn === 'string')
      return v.Message;
  } catch {
    // not JSON: the raw body
  }
  return body;
}

/** An SNS record as a one-time QueueMessage (no receipt: it cannot be retried later, only failed). */
export function snsMessageOf<T>(record: SNSEventRecord, parse: (body: string) => T): QueueMessage<T> {
  return {
    id: record.Sns.MessageId,
    body: parse(record.Sns.Message),
    receiveCount: 1,
    receipt: '',
    sentAt: new Date(record.Sns.Timestamp),
  };
}

/** The event id a topic message names: the enriched event's `eventId`, or `{ eventId }` itself. */
export function eventIdOf(body: string): { eventId: string } {
  const v = JSON.parse(unwrapSns(body)) as { eventId?: unknown };
  if (typeof v?.eventId !== 'string') throw new Error('the message names no eventId');
  return { eventId: v.eventId };
}
