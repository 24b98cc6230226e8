/**
 * Subscription delivery step for queue `sub:<name>`: loads the event and POSTs it to the subscriber,
 * signed with Standard Webhooks headers (webhook-id = the event id, so the receiver can drop repeats).
 * The body follows the Standard Webhooks shape: `{ type, timestamp, data: <enriched event> }`.
 * 2xx succeeds; anything else is retried with backoff and full jitter (429: after its Retry-After), and
 * the queue's maxReceiveCount moves an exhausted delivery to its dead-letter queue. Every attempt is
 * recorded for (event, `subscription:<name>`); a delivery that succeeded is never sent again.
 */
import type { DeliveryRepository, EventHistory, HttpClient } from '../../../ports/alerts.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { QueueMessage } from '../../../ports/queue.ts';
import type { Clock } from '../../clock.ts';
import { attemptOf, failedAttempt, recordedOutcome, retryOutcome, type RetryPolicy } from '../notify/delivery.ts';
import { DEFAULT_SEND_TIMEOUT_MS } from '../notify/sender.ts';
import type { HandleOutcome } from '../workers/outcome.ts';
import { enrichedOf } from './event-body.ts';
import { standardWebhookHeaders } from './sign.ts';
import type { SubscriptionDirectory } from './subscriptions.ts';

export interface SubscriptionDelivererDeps {
  subscriptions: SubscriptionDirectory;
  history: EventHistory;
  deliveries: DeliveryRepository;
  http: HttpClient;
  clock: Clock;
  logger: Logger;
  retry: Pick<RetryPolicy, 'baseSeconds' | 'maxSeconds'>;
  timeoutMs?: number;
  random?: () => number;
}

export class SubscriptionDeliverer {
  constructor(
    /** The subscription whose queue (`sub:<name>`) this step consumes. */
    readonly subscription: string,
    private readonly d: SubscriptionDelivererDeps,
  ) {}

  async handle(message: QueueMessage<{ eventId: string }>): Promise<HandleOutcome> {
    const { eventId } = message.body;
    const sub = await this.d.subscriptions.get(this.subscription);
    if (!sub) {
      this.d.logger.warn({ subscription: this.subscription, eventId }, 'subscription removed; dropping delivery');
      return 'ack';
    }
    const policy = { ...this.d.retry, maxReceiveCount: sub.maxReceiveCount };
    try {
      const record = await this.d.deliveries.ensure(eventId, `subscription:${sub.name}`);
      if (record.status === 'succeeded') return 'ack';
      const stored = await this.d.history.get(eventId);
      if (!stored) throw new Error(`event ${eventId} is not in history`);
      const event = enrichedOf(stored);
      const body = JSON.stringify({ type: `event.${event.status}`, timestamp: event.enrichedAt, data: event });
      const now = this.d.clock.now();
      const signature = sub.secret
        ? standardWebhookHeaders(
            sub.secret,
            eventId,
            Math.floor(now.getTime() / 1000),
            body,
            `subscription ${sub.name}`,
          )
        : {};
      let attempt;
      try {
        const result = await this.d.http.send({
          url: sub.endpoint,
          method: 'POST',
          headers: { 'content-type': 'application/json', 'user-agent': 'Cairn', ...signature },
          body,
          timeoutMs: this.d.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
        });
        attempt = attemptOf(result, this.d.clock.now());
      } catch (err) {
        attempt = failedAttempt(err);
      }
      await this.d.deliveries.recordAttempt(
        record.id,
        recordedOutcome(attempt, this.d.clock.now(), message.receiveCount >= sub.maxReceiveCount),
      );
      if (attempt.ok) return 'ack';
      this.d.logger.warn(
        { subscription: sub.name, eventId, attempt: message.receiveCount, error: attempt.error },
        'subscription delivery failed',
      );
      return retryOutcome(message.receiveCount, policy, [attempt], this.d.random);
    } catch (err) {
      return retryOutcome(message.receiveCount, policy, [failedAttempt(err)], this.d.random);
    }
  }
}
