import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import { type ChartBucket, type EventFilters, hasFilters } from '../lib/event-filters.ts';
import { useEventFeed } from '../lib/use-event-feed.ts';
import { EventChart } from './event-chart.tsx';
import { EventFeed } from './event-feed.tsx';
import { EventFiltersBar } from './event-filters-bar.tsx';

/** The bottom of the sticky top bar: content above it is out of sight. */
function visibleTop(): number {
  return document.querySelector('.top-bar')?.getBoundingClientRect().bottom ?? 0;
}

/** Filters, the chart and the live feed: everything follows the filters in the URL. */
export function EventsPanel({
  filters,
  onFilters,
  tick,
}: {
  filters: EventFilters;
  onFilters: (filters: EventFilters) => void;
  tick: number;
}) {
  const listRef = useRef<HTMLElement>(null);
  // New events wait behind a button while the top of the list is out of sight.
  const holdNew = () => (listRef.current?.getBoundingClientRect().top ?? 0) < visibleTop();
  const feed = useEventFeed(filters, tick, holdNew);
  const [sources, setSources] = useState<string[]>([]);
  const [services, setServices] = useState<string[]>([]);

  useEffect(() => {
    // Suggestions only: the filters work without them.
    alertsApi.distinct('source').then(setSources, () => {});
    alertsApi.distinct('service').then(setServices, () => {});
  }, []);

  return (
    <div class="events-panel" data-testid="events-panel">
      <EventFiltersBar filters={filters} onChange={onFilters} sources={sources} services={services} />
      <EventChart filters={filters} tick={tick} onBucket={(bucket: ChartBucket) => onFilters({ ...filters, bucket })} />
      <EventFeed
        feed={{
          ...feed,
          showPending: () => {
            feed.showPending();
            listRef.current?.scrollIntoView({ block: 'start' });
          },
        }}
        now={Date.now()}
        filtered={hasFilters(filters)}
        listRef={listRef}
      />
    </div>
  );
}
