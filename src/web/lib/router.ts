import { useEffect, useState } from 'preact/hooks';

/** A tiny history router: the server falls back to index.html for every non-API path. */
const listeners = new Set<() => void>();

export interface NavigateOptions {
  /** Replace the current history entry instead of adding one (filters, say). */
  replace?: boolean;
  /** Stay where the user scrolled to (a change of query string within the same page). */
  keepScroll?: boolean;
}

export function navigate(path: string, options: NavigateOptions = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  if (!options.keepScroll) window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

function useLocationPart(read: () => string): string {
  const [value, setValue] = useState(read);
  useEffect(() => {
    const update = () => setValue(read());
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, [read]);
  return value;
}

const readPath = () => window.location.pathname;
const readSearch = () => window.location.search;

export function usePath(): string {
  return useLocationPart(readPath);
}

/** The query string (`?a=b`, or ''), kept current across navigate() and the back button. */
export function useSearch(): string {
  return useLocationPart(readSearch);
}

/** Follows an in-app link without a page load, unless the user asked for a new tab or window. */
export function onLinkClick(event: MouseEvent): void {
  if (event.defaultPrevented || event.button !== 0) return;
  if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const anchor = event.currentTarget as HTMLAnchorElement;
  if (anchor.origin !== window.location.origin) return;
  event.preventDefault();
  navigate(anchor.pathname + anchor.search);
}

export type AlertsTab = 'events' | 'queues' | 'silences' | 'report';

export type Route =
  | { name: 'new' }
  | { name: 'shares' }
  | { name: 'received' }
  | { name: 'alerts'; tab: AlertsTab }
  | { name: 'alert-event'; eventId: string }
  | { name: 'backups'; job: string | null }
  | { name: 'metrics' }
  | { name: 'landing'; shareId: string }
  | { name: 'not-found' };

const ALERTS_TABS: Record<string, AlertsTab> = {
  '/alerts': 'events',
  '/alerts/queues': 'queues',
  '/alerts/silences': 'silences',
  '/alerts/report': 'report',
};

function decode(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/' || clean === '/new') return { name: 'new' };
  if (clean === '/shares') return { name: 'shares' };
  if (clean === '/received') return { name: 'received' };
  const tab = ALERTS_TABS[clean];
  if (tab) return { name: 'alerts', tab };
  const event = /^\/alerts\/events\/([^/]+)$/.exec(clean);
  const eventId = event?.[1] ? decode(event[1]) : null;
  if (eventId) return { name: 'alert-event', eventId };
  if (clean === '/metrics') return { name: 'metrics' };
  if (clean === '/backups') return { name: 'backups', job: null };
  const backupJob = /^\/backups\/jobs\/([^/]+)$/.exec(clean);
  const jobName = backupJob?.[1] ? decode(backupJob[1]) : null;
  if (jobName) return { name: 'backups', job: jobName };
  const landing = /^\/s\/([^/]+)$/.exec(clean);
  const shareId = landing?.[1] ? decode(landing[1]) : null;
  if (shareId) return { name: 'landing', shareId };
  return { name: 'not-found' };
}
