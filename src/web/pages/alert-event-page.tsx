import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../components/alert.tsx';
import { DeliveriesTable } from '../components/deliveries-table.tsx';
import { EnrichmentView } from '../components/enrichment-view.tsx';
import { JsonBlock, prettyJson } from '../components/json-block.tsx';
import { LabelsList } from '../components/labels-list.tsx';
import { Link } from '../components/link.tsx';
import { RelativeTime } from '../components/relative-time.tsx';
import { SeverityBadge } from '../components/severity-badge.tsx';
import { StateBadge } from '../components/state-badge.tsx';
import { alertsApi } from '../lib/alerts-api.ts';
import { eventsHref } from '../lib/alerts-nav.ts';
import type { HubEventDetail } from '../lib/alerts-types.ts';
import { ApiError, messageOf } from '../lib/api.ts';
import { useNow, useTicker } from '../lib/use-ticker.ts';

type State =
  { kind: 'loading' } | { kind: 'ready'; event: HubEventDetail } | { kind: 'error'; status: number; message: string };

/** Deliveries may still be on their way: keep looking while one is pending or none has appeared yet. */
function settling(event: HubEventDetail, now: number): boolean {
  if (event.deliveries.some((d) => d.status === 'pending')) return true;
  return event.deliveries.length === 0 && now - Date.parse(event.receivedAt) < 2 * 60_000;
}

/** One event (the Slack and Teams messages link here): what came in, what enrichment added, where it went. */
export function AlertEventPage({ eventId }: { eventId: string }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  useNow(15_000);
  const now = Date.now();
  const tick = useTicker(3000, state.kind === 'ready' && settling(state.event, Date.now()));
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    alertsApi
      .event(eventId)
      .then((event) => mine === generation.current && setState({ kind: 'ready', event }))
      .catch((e: unknown) => {
        if (mine !== generation.current) return;
        // A failed refresh keeps what is on screen; only a failed first load replaces it.
        setState((prev) =>
          prev.kind === 'ready' && tick > 0
            ? prev
            : { kind: 'error', status: e instanceof ApiError ? e.status : 0, message: messageOf(e) },
        );
      });
  }, [eventId, tick]);

  const back = (
    <Link href={eventsHref()} class="back-link" testId="back-to-events">
      ← All events
    </Link>
  );

  if (state.kind === 'loading') {
    return (
      <main id="main" class="page" data-testid="alert-event-page">
        {back}
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (state.kind === 'error') {
    return (
      <main id="main" class="page" data-testid="alert-event-page">
        {back}
        <div class="card" data-testid="event-error" data-status={state.status}>
          <h1>{state.status === 404 ? 'Event not found' : 'Cannot show this event'}</h1>
          <Alert>{state.message}</Alert>
        </div>
      </main>
    );
  }

  const { event } = state;
  return (
    <main id="main" class="page event-page" data-testid="alert-event-page" data-event-id={event.eventId}>
      {back}
      <article class="card event-detail" aria-labelledby="event-heading">
        <div class="event-badges">
          <SeverityBadge severity={event.severity} />
          <StateBadge state={event.status} testId="event-detail-status" />
        </div>
        <h1 id="event-heading" class="event-heading" data-testid="event-detail-title">
          {event.title}
        </h1>
        {event.summary && (
          <p class="event-summary" data-testid="event-detail-summary">
            {event.summary}
          </p>
        )}
        <dl class="facts">
          <div>
            <dt>Source</dt>
            <dd data-testid="event-detail-source">{event.source}</dd>
          </div>
          <div>
            <dt>Service</dt>
            <dd data-testid="event-detail-service">{event.service ?? '—'}</dd>
          </div>
          <div>
            <dt>Received</dt>
            <dd>
              <RelativeTime iso={event.receivedAt} now={now} />
            </dd>
          </div>
          <div>
            <dt>Enriched</dt>
            <dd>
              <RelativeTime iso={event.enrichedAt} now={now} />
            </dd>
          </div>
          <div>
            <dt>Fingerprint</dt>
            <dd class="mono">{event.fingerprint}</dd>
          </div>
          <div>
            <dt>Event id</dt>
            <dd class="mono" data-testid="event-detail-id">
              {event.eventId}
            </dd>
          </div>
        </dl>
      </article>

      <div class="event-sections">
        <section class="card" aria-labelledby="labels-heading">
          <h2 id="labels-heading">Labels</h2>
          <LabelsList labels={event.labels} />
        </section>
        <section class="card" aria-labelledby="enrichment-heading">
          <h2 id="enrichment-heading">Enrichment</h2>
          <EnrichmentView enrichment={event.enrichment} />
        </section>
      </div>

      <section class="card" aria-labelledby="deliveries-heading">
        <h2 id="deliveries-heading">Deliveries</h2>
        <DeliveriesTable deliveries={event.deliveries} now={now} />
      </section>

      <section class="card" aria-labelledby="raw-heading">
        <h2 id="raw-heading">Raw body</h2>
        <JsonBlock value={prettyJson(event.rawBody)} label="Raw body as received" testId="event-raw-body" />
      </section>
    </main>
  );
}
