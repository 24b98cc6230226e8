import { useEffect, useRef, useState } from 'preact/hooks';
import { type Facets, SEVERITIES } from '../lib/alerts-types.ts';
import {
  EMPTY_FILTERS,
  type EventFilters,
  RANGES,
  type TimeRange,
  fromLocalInput,
  hasFilters,
  toLocalInput,
} from '../lib/event-filters.ts';

const TYPING_DELAY_MS = 400;

/** A text filter that applies itself shortly after the user stops typing (and at once on Enter). */
function useTypedFilter(value: string, apply: (value: string) => void) {
  const [draft, setDraft] = useState(value);
  const sent = useRef(value);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  // The URL changed by other means (the back button, "Clear"): show that.
  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setDraft(value);
    }
  }, [value]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  const flush = (next: string) => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    if (next.trim() === sent.current) return;
    sent.current = next.trim();
    apply(next.trim());
  };
  return {
    draft,
    onInput: (next: string) => {
      setDraft(next);
      if (timer.current) clearTimeout(timer.current);
      timer.current = setTimeout(() => flush(next), TYPING_DELAY_MS);
    },
    flush: () => flush(draft),
  };
}

/**
 * Source, severity, service, status, text and time range; every change goes to the URL. The values
 * seen in the time range (GET /api/events/facets) are suggested for source and service, and counted
 * next to each severity.
 */
export function EventFiltersBar({
  filters,
  onChange,
  facets,
}: {
  filters: EventFilters;
  onChange: (filters: EventFilters) => void;
  facets: Facets | null;
}) {
  const severityCount = new Map(facets?.severities.map((f) => [f.value, f.count]));
  const latest = useRef(filters);
  latest.current = filters;
  const set = (change: Partial<EventFilters>) => onChange({ ...latest.current, ...change });
  const source = useTypedFilter(filters.source, (v) => set({ source: v }));
  const service = useTypedFilter(filters.service, (v) => set({ service: v }));
  const text = useTypedFilter(filters.text, (v) => set({ text: v }));

  const setRange = (range: TimeRange) => {
    if (range !== 'custom') return set({ range, from: '', to: '' });
    set({ range, from: new Date(Date.now() - 86_400_000).toISOString(), to: '' });
  };

  return (
    <form
      class="filters card"
      role="search"
      aria-label="Filter events"
      data-testid="event-filters"
      onSubmit={(e) => {
        e.preventDefault();
        source.flush();
        service.flush();
        text.flush();
      }}
    >
      <label class="field filter-text">
        <span>Search</span>
        <input
          type="search"
          placeholder="Title, summary or body"
          value={text.draft}
          onInput={(e) => text.onInput(e.currentTarget.value)}
          onBlur={text.flush}
          maxLength={256}
          data-testid="filter-text"
        />
      </label>
      <label class="field">
        <span>Severity</span>
        <select
          value={filters.severity}
          onChange={(e) => set({ severity: e.currentTarget.value as EventFilters['severity'] })}
          data-testid="filter-severity"
        >
          <option value="">Any</option>
          {SEVERITIES.map((s) => (
            <option key={s} value={s}>
              {s.charAt(0).toUpperCase() + s.slice(1)}
              {facets ? ` (${severityCount.get(s) ?? 0})` : ''}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span>Status</span>
        <select
          value={filters.status}
          onChange={(e) => set({ status: e.currentTarget.value as EventFilters['status'] })}
          data-testid="filter-status"
        >
          <option value="">Any</option>
          <option value="firing">Firing</option>
          <option value="resolved">Resolved</option>
        </select>
      </label>
      <label class="field">
        <span>Source</span>
        <input
          type="text"
          list="filter-sources"
          placeholder="Any"
          value={source.draft}
          onInput={(e) => source.onInput(e.currentTarget.value)}
          onBlur={source.flush}
          maxLength={64}
          autoComplete="off"
          data-testid="filter-source"
        />
        <datalist id="filter-sources" data-testid="filter-sources">
          {facets?.sources.map((f) => (
            <option key={f.value} value={f.value} label={`${f.value} (${f.count})`} />
          ))}
        </datalist>
      </label>
      <label class="field">
        <span>Service</span>
        <input
          type="text"
          list="filter-services"
          placeholder="Any"
          value={service.draft}
          onInput={(e) => service.onInput(e.currentTarget.value)}
          onBlur={service.flush}
          maxLength={256}
          autoComplete="off"
          data-testid="filter-service"
        />
        <datalist id="filter-services" data-testid="filter-services">
          {facets?.services.map((f) => (
            <option key={f.value} value={f.value} label={`${f.value} (${f.count})`} />
          ))}
        </datalist>
      </label>
      <label class="field">
        <span>Time</span>
        <select
          value={filters.range}
          onChange={(e) => setRange(e.currentTarget.value as TimeRange)}
          data-testid="filter-range"
        >
          {RANGES.map((r) => (
            <option key={r.value} value={r.value}>
              {r.label}
            </option>
          ))}
        </select>
      </label>
      {filters.range === 'custom' && (
        <div class="filter-custom-range">
          <label class="field">
            <span>From</span>
            <input
              type="datetime-local"
              value={filters.from ? toLocalInput(filters.from) : ''}
              onChange={(e) => set({ from: fromLocalInput(e.currentTarget.value) })}
              data-testid="filter-from"
            />
          </label>
          <label class="field">
            <span>
              To <span class="optional">(empty: now)</span>
            </span>
            <input
              type="datetime-local"
              value={filters.to ? toLocalInput(filters.to) : ''}
              onChange={(e) => set({ to: fromLocalInput(e.currentTarget.value) })}
              data-testid="filter-to"
            />
          </label>
        </div>
      )}
      <div class="filter-actions">
        {/* Enter in a text field applies at once; the button is there for that, visually hidden. */}
        <button type="submit" class="visually-hidden" tabIndex={-1}>
          Apply filters
        </button>
        {hasFilters(filters) && (
          <button
            type="button"
            class="button button-quiet button-small"
            onClick={() => onChange({ ...EMPTY_FILTERS, bucket: filters.bucket })}
            data-testid="filter-clear"
          >
            Clear filters
          </button>
        )}
      </div>
    </form>
  );
}
