import type { DomainEvent, DomainEventHandler, EventBus } from '../../ports/event-bus.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Db } from './sqlite/db.ts';

/**
 * Domain events are first written to the `domain_events` outbox (durable, ordered by seq) and then
 * handed to in-process subscribers; the notification hub reads the outbox so nothing is lost if the
 * process dies between the two.
 */
export class SqliteEventBus implements EventBus {
  private readonly insert;
  private readonly handlers: DomainEventHandler[] = [];

  constructor(
    db: Db,
    private readonly logger: Logger,
  ) {
    this.insert = db.prepare(
      'INSERT OR IGNORE INTO domain_events (id, type, time, actor, data) VALUES (?, ?, ?, ?, ?)',
    );
  }

  subscribe(handler: DomainEventHandler): void {
    this.handlers.push(handler);
  }

  async publish(event: DomainEvent): Promise<void> {
    this.insert.run(event.id, event.type, event.time, event.actor ?? null, JSON.stringify(event.data));
    for (const h of this.handlers) {
      try {
        await h(event);
      } catch (err) {
        this.logger.warn({ err: String(err), type: event.type }, 'event subscriber failed');
      }
    }
  }
}
