/**
 * SqsEventBus: domain events (share created/downloaded/revoked/expired, backup finished/failed) go
 * straight onto the hub's `events` queue as source `cairn` — on AWS there is no outbox to relay, since
 * the SQS acknowledgement is the durable write. The message is what the local outbox relay sends
 * (adapters/local/outbox-relay.ts), deduplicated by the domain event's id the same way.
 */
import type { Clock } from '../../core/clock.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import type { DomainEvent, EventBus } from '../../ports/event-bus.ts';
import type { Queue } from '../../ports/queue.ts';

export class SqsEventBus implements EventBus {
  constructor(
    private readonly queue: Queue<IngestedEvent>,
    private readonly clock: Clock,
  ) {}

  async publish(e: DomainEvent): Promise<void> {
    const body = JSON.stringify({ id: e.id, type: e.type, time: e.time, actor: e.actor ?? null, data: e.data });
    await this.queue.send(
      {
        eventId: `cairn_${e.id}`,
        source: 'cairn',
        receivedAt: this.clock.now().toISOString(),
        deliveryId: e.id,
        rawBody: body,
        headers: {},
      },
      { dedupId: `cairn:${e.id}` },
    );
  }
}
