/**
 * A dead letter as GET /api/alerts/queues/{name}/dead shows it: the message, plus the event it stands
 * for, read from its body — `{ eventId }` on `notify` and `sub:<name>`, an ingested event on `events`,
 * and a notification's `eventIds` (oldest first, `count` the storm size) on `channel:<name>` — with
 * that event's source and title from history when it is still there.
 */
import type { EventHistory } from '../../ports/alerts.ts';
import type { DeadLetter } from '../../ports/queue.ts';

interface DeadLetterEvents {
  /** The event (for a channel notification: its newest event), or null when the body names none. */
  eventId: string | null;
  /** Every event id the body names (a channel notification carries up to 500). */
  eventIds: string[];
  /** How many events the message stands for (a channel notification may count more than it lists). */
  eventCount: number;
  source: string | null;
  title: string | null;
}

const isString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The event ids, count and source a message body names, whatever queue it came from. */
function eventsOfBody(body: unknown): Omit<DeadLetterEvents, 'title'> {
  const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const ids = Array.isArray(b.eventIds) ? b.eventIds.filter(isString) : isString(b.eventId) ? [b.eventId] : [];
  const count = typeof b.count === 'number' && Number.isInteger(b.count) ? Math.max(b.count, ids.length) : ids.length;
  return {
    eventId: ids.at(-1) ?? null,
    eventIds: ids,
    eventCount: count,
    source: isString(b.source) ? b.source : null,
  };
}

export async function deadLetterView(d: DeadLetter<unknown>, history: Pick<EventHistory, 'get'> | undefined) {
  const named = eventsOfBody(d.body);
  const stored = history && named.eventId ? await history.get(named.eventId) : null;
  return {
    ...d,
    sentAt: d.sentAt.toISOString(),
    deadAt: d.deadAt.toISOString(),
    ...named,
    source: stored?.source ?? named.source,
    title: stored?.title ?? null,
  };
}
