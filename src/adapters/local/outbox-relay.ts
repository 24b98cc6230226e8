import type { IngestedEvent } from '../../core/alerts/model.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Queue } from '../../ports/queue.ts';
import type { Db } from './sqlite/db.ts';

/**
 * Moves domain events (share downloaded, backup failed…) from the `domain_events` outbox onto the hub's
 * `events` queue as source `cairn`. At least once: the position is saved after the sends, and each send
 * is deduplicated by the domain event's id, so a crash in between never doubles an event.
 */
export class OutboxRelay {
  private readonly next;
  private readonly savePosition;
  private readonly position;

  constructor(
    db: Db,
    private readonly queue: Queue<IngestedEvent>,
    private readonly clock: Clock,
    private readonly logger: Logger,
  ) {
    db.exec('CREATE TABLE IF NOT EXISTS outbox_relay (name TEXT PRIMARY KEY, seq INTEGER NOT NULL)');
    this.position = db.prepare(`SELECT seq FROM outbox_relay WHERE name = 'hub'`).pluck();
    this.savePosition = db.prepare(
      `INSERT INTO outbox_relay (name, seq) VALUES ('hub', ?) ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
    );
    this.next = db.prepare(
      'SELECT seq, id, type, time, actor, data FROM domain_events WHERE seq > ? ORDER BY seq LIMIT ?',
    );
  }

  /** Relays what is waiting; returns how many events moved. */
  async pump(batch = 500): Promise<number> {
    const after = (this.position.get() as number | undefined) ?? 0;
    const rows = this.next.all(after, batch) as {
      seq: number;
      id: string;
      type: string;
      time: string;
      actor: string | null;
      data: string;
    }[];
    if (rows.length === 0) return 0;
    await Promise.all(
      rows.map((r) => {
        const body = JSON.stringify({
          id: r.id,
          type: r.type,
          time: r.time,
          actor: r.actor,
          data: JSON.parse(r.data) as unknown,
        });
        const event: IngestedEvent = {
          eventId: `cairn_${r.id}`,
          source: 'cairn',
          receivedAt: this.clock.now().toISOString(),
          deliveryId: r.id,
          rawBody: body,
          headers: {},
        };
        return this.queue.send(event, { dedupId: `cairn:${r.id}` });
      }),
    );
    this.savePosition.run(rows[rows.length - 1]!.seq);
    this.logger.debug({ relayed: rows.length }, 'domain events relayed to the hub');
    return rows.length;
  }
}
