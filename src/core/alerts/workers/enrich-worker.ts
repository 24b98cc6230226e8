import type { Clock } from '../../clock.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { EventHistory } from '../../../ports/alerts.ts';
import type { QueueMessage } from '../../../ports/queue.ts';
import type { Enricher } from '../enrich/enricher.ts';
import type { EnrichedEvent, IngestedEvent } from '../model.ts';
import { backoffSeconds, type HandleOutcome } from './outcome.ts';

export interface Publisher {
  publish(event: EnrichedEvent): Promise<unknown>;
}

/**
 * Takes an accepted event off the `events` queue: enrich, store in history (idempotent by id), publish
 * to the topic, then ack. At-least-once: a crash before the ack redelivers, and every step tolerates
 * the repeat (history keeps the first copy; the topic's targets dedupe by event id).
 */
export class EnrichWorker {
  constructor(
    private readonly d: {
      enricher: Enricher;
      history: EventHistory;
      topic: Publisher;
      clock: Clock;
      logger: Logger;
      retentionSeconds: number;
      backoff: { baseSeconds: number; maxSeconds: number };
    },
  ) {}

  async handle(message: QueueMessage<IngestedEvent>): Promise<HandleOutcome> {
    const ingested = message.body;
    try {
      const stored = await this.d.history.get(ingested.eventId);
      const event = stored ?? (await this.d.enricher.enrich(ingested));
      if (!stored) {
        const expiresAt = new Date(Date.parse(ingested.receivedAt) + this.d.retentionSeconds * 1000);
        await this.d.history.save(event, ingested.rawBody, expiresAt);
      }
      await this.d.topic.publish(event);
      return 'ack';
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.d.logger.warn(
        { eventId: ingested.eventId, attempt: message.receiveCount, error },
        'enrichment failed; will retry',
      );
      return {
        retryAfterSeconds: backoffSeconds(message.receiveCount, this.d.backoff.baseSeconds, this.d.backoff.maxSeconds),
        error,
      };
    }
  }
}
