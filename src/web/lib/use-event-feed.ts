import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from './alerts-api.ts';
import type { HubEvent } from './alerts-types.ts';
import { messageOf } from './api.ts';
import { type EventFilters, filtersKey } from './event-filters.ts';

export interface EventFeed {
  items: HubEvent[];
  loading: boolean;
  loadingMore: boolean;
  error: string | null;
  hasMore: boolean;
  /** Newer events a poll found while the user was reading further down (shown on request). */
  pendingCount: number;
  loadMore(): void;
  showPending(): void;
}

interface Pending {
  items: HubEvent[];
  /** The poll's page did not reach the events already shown: replace the list rather than prepend. */
  replace: boolean;
  cursor: string | null;
}

const newestFirst = (a: HubEvent, b: HubEvent) =>
  a.receivedAt === b.receivedAt ? (a.eventId < b.eventId ? 1 : -1) : a.receivedAt < b.receivedAt ? 1 : -1;

/**
 * The live feed: the first page for the filters, older pages on "Load more", and on every `tick` the
 * newest page again, merged in without dropping what was loaded. While the user has scrolled into the
 * list (`holdNew()` says so), new events wait behind a "N new events" button so nothing moves under
 * the reader.
 */
export function useEventFeed(filters: EventFilters, tick: number, holdNew: () => boolean): EventFeed {
  const [items, setItems] = useState<HubEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const generation = useRef(0);
  const state = useRef({ items, cursor, pending, filters, holdNew, polling: false });
  state.current = { ...state.current, items, cursor, pending, filters, holdNew };
  const key = filtersKey(filters);

  useEffect(() => {
    const mine = ++generation.current;
    setLoading(true);
    setError(null);
    setPending(null);
    alertsApi
      .events(state.current.filters, Date.now())
      .then((page) => {
        if (mine !== generation.current) return;
        setItems(page.items);
        setCursor(page.cursor ?? null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) {
          setItems([]);
          setCursor(null);
          setError(messageOf(e));
        }
      })
      .finally(() => {
        if (mine === generation.current) setLoading(false);
      });
  }, [key]);

  useEffect(() => {
    if (tick === 0 || state.current.polling) return;
    const mine = generation.current;
    state.current.polling = true;
    alertsApi
      .events(state.current.filters, Date.now())
      .then((page) => {
        if (mine !== generation.current) return;
        setError(null);
        const { items: shown, pending: waiting } = state.current;
        const known = new Set([...shown, ...(waiting?.items ?? [])].map((e) => e.eventId));
        const fresh = page.items.filter((e) => !known.has(e.eventId));
        if (shown.length === 0 || waiting?.replace) {
          setItems(page.items);
          setCursor(page.cursor ?? null);
          setPending(null);
          return;
        }
        // Events already shown may have changed (a late enrichment): take the newer copy.
        const byId = new Map(page.items.map((e) => [e.eventId, e]));
        setItems((all) => {
          let changed = false;
          const updated = all.map((e) => {
            const newer = byId.get(e.eventId);
            if (!newer || JSON.stringify(newer) === JSON.stringify(e)) return e;
            changed = true;
            return newer;
          });
          return changed ? updated : all;
        });
        let next = waiting;
        if (fresh.length > 0) {
          const gap = fresh.length === page.items.length && !!page.cursor;
          next = gap
            ? { items: page.items, replace: true, cursor: page.cursor ?? null }
            : { items: [...fresh, ...(waiting?.items ?? [])].sort(newestFirst), replace: false, cursor: null };
        }
        if (!next) return;
        // Still reading further down: keep them waiting. Back at the top: show them.
        if (state.current.holdNew()) setPending(next);
        else apply(next);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(messageOf(e));
      })
      .finally(() => {
        state.current.polling = false;
      });
  }, [tick]);

  const apply = (next: Pending) => {
    if (next.replace) {
      setItems(next.items);
      setCursor(next.cursor);
    } else {
      const ids = new Set(next.items.map((e) => e.eventId));
      setItems((all) => [...next.items, ...all.filter((e) => !ids.has(e.eventId))]);
    }
    setPending(null);
  };

  const loadMore = useCallback(() => {
    const from = state.current.cursor;
    if (!from) return;
    const mine = generation.current;
    setLoadingMore(true);
    alertsApi
      .events(state.current.filters, Date.now(), from)
      .then((page) => {
        if (mine !== generation.current) return;
        setItems((all) => {
          const ids = new Set(all.map((e) => e.eventId));
          return [...all, ...page.items.filter((e) => !ids.has(e.eventId))];
        });
        setCursor(page.cursor ?? null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(messageOf(e));
      })
      .finally(() => {
        if (mine === generation.current) setLoadingMore(false);
      });
  }, []);

  return {
    items,
    loading,
    loadingMore,
    error,
    hasMore: cursor !== null,
    pendingCount: pending?.items.length ?? 0,
    loadMore,
    showPending: () => {
      if (state.current.pending) apply(state.current.pending);
    },
  };
}
