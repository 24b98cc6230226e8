import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import type { Facets } from '../lib/alerts-types.ts';
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
  const [facets, setFacets] = useState<Facets | null>(null);
  const latest = useRef(filters);
  latest.current = filters;

  useEffect(() => {
    // The values seen in the chosen time range, as suggestions only: the filters work without them.
    let current = true;
    alertsApi.facets(latest.current, Date.now()).then(
      (f) => current && setFacets(f),
      () => {},
    );
    return () => void (current = false);
  }, [filters.range, filters.from, filters.to]);

  return (
    <div class="events-panel" data-testid="events-panel">
      <EventFiltersBar filters={filters} onChange={onFilters} facets={facets} />
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
