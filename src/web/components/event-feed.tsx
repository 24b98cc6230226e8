import type { Ref } from 'preact';
import { pluralize } from '../lib/format.ts';
import type { EventFeed as Feed } from '../lib/use-event-feed.ts';
import { Alert } from './alert.tsx';
import { EventRow } from './event-row.tsx';

/** The list of events, newest first, with "N new events" while the reader is further down, and "Load more". */
export function EventFeed({
  feed,
  now,
  filtered,
  listRef,
}: {
  feed: Feed;
  now: number;
  filtered: boolean;
  listRef: Ref<HTMLElement>;
}) {
  return (
    <section class="feed" aria-labelledby="feed-heading" ref={listRef} data-testid="event-feed">
      <h2 id="feed-heading" class="visually-hidden">
        Events, newest first
      </h2>
      {feed.pendingCount > 0 && (
        <button type="button" class="button new-events" onClick={feed.showPending} data-testid="show-new-events">
          Show {pluralize(feed.pendingCount, 'new event')}
        </button>
      )}
      {feed.error && <Alert testId="feed-error">{feed.error}</Alert>}
      {feed.loading && feed.items.length === 0 && (
        <p class="hint" role="status">
          Loading events…
        </p>
      )}
      {!feed.loading && !feed.error && feed.items.length === 0 && (
        <p class="empty card" data-testid="feed-empty">
          {filtered
            ? 'No events match these filters.'
            : 'No events yet. Webhooks sent to /hooks/<source> show up here.'}
        </p>
      )}
      {feed.items.length > 0 && (
        <ol class="event-list card" aria-busy={feed.loading} data-testid="event-list">
          {feed.items.map((event) => (
            <EventRow key={event.eventId} event={event} now={now} />
          ))}
        </ol>
      )}
      {feed.hasMore && (
        <button
          type="button"
          class="button load-more"
          onClick={feed.loadMore}
          disabled={feed.loadingMore}
          data-testid="load-more-events"
        >
          {feed.loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  );
}
