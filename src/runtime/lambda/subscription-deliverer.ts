/**
 * Topic subscribers on Lambda: delivers an event to subscription endpoints (Standard Webhooks signed
 * POSTs) with the core's SubscriptionDeliverer. Two ways to deploy it:
 * - SUBSCRIPTION_NAME set: one function (and SQS queue) per cairn.yaml subscription, whose SNS
 *   subscription carries the filter policy — the deliverer serves only that subscription;
 * - unset: one function for many, fed every event; the filter policies are evaluated here with the
 *   core's Topic (the local runtime's fan-out), over the event's attributes or body. With
 *   SUBSCRIPTION_ORIGIN=runtime (as the CDK app deploys it) it serves only the subscriptions made through
 *   the API, read from the DynamoDB store and kept for SUBSCRIPTIONS_TTL_MS, so a new one receives the
 *   events published from then on, within that time.
 * Delivery is idempotent per (event, subscription): a retry only re-sends what did not succeed. A failed
 * delivery becomes a batch item failure with a backoff (SQS receives it again; after the queue's
 * maxReceiveCount its DLQ keeps it for redrive); an event missing from history is thrown the same way.
 */
import type { Context, SNSEvent, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import type { HandleOutcome } from '../../core/alerts/workers/outcome.ts';
import {
  NOTIFY_QUEUE,
  SubscriptionDeliverer,
  SubscriptionDirectory,
  subscriptionQueue,
  Topic,
} from '../../core/alerts/topic/index.ts';
import type { QueueMessage, Queue } from '../../ports/queue.ts';
import { sqsBatchHandler } from './batch.ts';
import { clients, clock, env, hub } from './compose.ts';
import { logger, metrics } from './powertools.ts';
import { eventIdOf, snsMessageOf } from './records.ts';

/** How long the subscription list is reused before the store is read again. */
export const SUBSCRIPTIONS_TTL_MS = 15_000;

/** Topic.publish sends to a queue per target; here only the list of targets is wanted. */
const NO_QUEUE = { send: async () => ({ id: '', duplicate: false }) } as unknown as Queue<{ eventId: string }>;

let routing: { at: number; topic: Promise<Topic> } | undefined;

/** A Topic over the subscriptions this function serves, remade at most every SUBSCRIPTIONS_TTL_MS. */
function servedTopic(): Promise<Topic> {
  const now = clock.now().getTime();
  if (routing && now - routing.at < SUBSCRIPTIONS_TTL_MS) return routing.topic;
  const topic = (async () => {
    const origin = env().SUBSCRIPTION_ORIGIN;
    const served = (await (await hub()).subscriptions.all()).filter((s) => !origin || s.origin === origin);
    return new Topic({ subscriptions: new SubscriptionDirectory(served), queueFor: () => NO_QUEUE });
  })();
  routing = { at: now, topic };
  topic.catch(() => (routing = undefined));
  return topic;
}

/** The subscriptions an event goes to: the named one, or every served one whose filter policy accepts it. */
export async function targetsOf(eventId: string): Promise<string[]> {
  const named = env().SUBSCRIPTION_NAME;
  if (named) return [named];
  const event = await (await hub()).history.get(eventId);
  if (!event) throw new Error(`event ${eventId} is not in history (yet)`);
  const queues = await (await servedTopic()).publish(event);
  return queues.filter((q) => q !== NOTIFY_QUEUE).map((q) => q.slice(subscriptionQueue('').length));
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
      retry: h.deliveryRetry,
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
