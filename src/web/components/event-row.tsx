import type { HubEvent } from '../lib/alerts-types.ts';
import { Link } from './link.tsx';
import { RelativeTime } from './relative-time.tsx';
import { SeverityBadge } from './severity-badge.tsx';
import { StateBadge } from './state-badge.tsx';

export const eventHref = (eventId: string) => `/alerts/events/${encodeURIComponent(eventId)}`;

/** One event in the feed: severity, title (a link to its detail), where it came from, and when. */
export function EventRow({ event, now }: { event: HubEvent; now: number }) {
  return (
    <li
      class={`event-row severity-edge-${event.severity}`}
      data-testid="event-row"
      data-event-id={event.eventId}
      data-severity={event.severity}
    >
      <SeverityBadge severity={event.severity} />
      <div class="event-main">
        <Link href={eventHref(event.eventId)} class="event-title" testId="event-title">
          {event.title}
        </Link>
        <div class="event-meta">
          <span data-testid="event-source">{event.source}</span>
          {event.service && (
            <>
              <span aria-hidden="true"> · </span>
              <span data-testid="event-service">{event.service}</span>
            </>
          )}
          {event.labels.team && (
            <>
              <span aria-hidden="true"> · </span>
              <span>team {event.labels.team}</span>
            </>
          )}
          {event.status === 'resolved' && <StateBadge state="resolved" testId="event-status" />}
        </div>
      </div>
      <RelativeTime iso={event.receivedAt} now={now} testId="event-time" />
    </li>
  );
}
