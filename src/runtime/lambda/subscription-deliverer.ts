/**
 * Topic subscribers on Lambda: delivers an event to subscription endpoints (Standard Webhooks signed
 * POSTs) with the core's SubscriptionDeliverer. Two ways to deploy it:
 * - SUBSCRIPTION_NAME set: one function (or one SQS queue) per subscription, whose SNS subscription
 *   carries the filter policy — the deliverer serves only that subscription;
 * - unset: one function for all (config and runtime subscriptions alike); the filter policies are
 *   evaluated here with the core's own matcher (the local topic's), over the event's attributes or body.
 * Delivery is idempotent per (event, subscription): a retry only re-sends what did not succeed.
 */
import type { Context, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { HandleOutcome } from '../../core/alerts/workers/outcome.ts';
import { SubscriptionDeliverer, subscriptionQueue, Topic } from '../../core/alerts/topic/index.ts';
import type { QueueMessage, Queue } from '../../ports/queue.ts';
import { sqsBatchHandler } from './batch.ts';
import { clients, clock, env, hub } from './compose.ts';
import { logger, metrics } from './powertools.ts';
import { eventIdOf, snsMessageOf } from './records.ts';

/** The subscriptions an event goes to: the named one, or every one whose filter policy accepts it. */
export async function targetsOf(eventId: string): Promise<string[]> {
  const named = env().SUBSCRIPTION_NAME;
  if (named) return [named];
  const h = await hub();
  const event = await h.history.get(eventId);
  if (!event) throw new Error(`event ${eventId} is not in history (yet)`);
  const picked: string[] = [];
  const capture = (name: string) =>
    ({ send: async () => (picked.push(name), { id: name, duplicate: false }) }) as unknown as Queue<{
      eventId: string;
    }>;
  await new Topic({ subscriptions: h.subscriptions, queueFor: capture }).publish(event);
  return picked.filter((q) => q.startsWith('sub:')).map((q) => q.slice(subscriptionQueue('').length));
}

export async function deliver(message: QueueMessage<{ eventId: string }>): Promise<HandleOutcome> {
  const h = await hub();
  const outcomes: HandleOutcome[] = [];
  for (const name of await targetsOf(message.body.eventId)) {
    const deliverer = new SubscriptionDeliverer(name, {
      subscriptions: h.subscriptions,
      history: h.history,
      deliveries: h.deliveries,
      http: h.http,
      clock,
      logger,
      retry: h.retry,
    });
    outcomes.push(await deliverer.handle(message));
  }
  const retries = outcomes.filter((o) => o !== 'ack');
  if (retries.length === 0) return 'ack';
  return {
    retryAfterSeconds: Math.min(...retries.map((r) => r.retryAfterSeconds)),
    error: retries
      .map((r) => r.error)
      .join('; ')
      .slice(0, 1000),
  };
}

const fromQueue = sqsBatchHandler<{ eventId: string }>({
  name: 'subscriptions',
  sqs: clients.sqs,
  parse: (record) => eventIdOf(record.body),
  handle: deliver,
});

export async function handler(event: SQSEvent | SNSEvent, context: Context): Promise<SQSBatchResponse | void> {
  if (event.Records[0] && 'Sns' in event.Records[0]) {
    try {
      for (const record of (event as SNSEvent).Records) {
        const outcome = await deliver(snsMessageOf(record, eventIdOf));
        if (outcome !== 'ack') throw new Error(`subscription delivery failed: ${outcome.error}`);
      }
    } finally {
      metrics.publishStoredMetrics();
    }
    return;
  }
  return fromQueue(event as SQSEvent, context);
}
