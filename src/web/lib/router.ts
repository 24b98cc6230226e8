import { useEffect, useState } from 'preact/hooks';

/** A tiny history router: the server falls back to index.html for every non-API path. */
const listeners = new Set<() => void>();

export function navigate(path: string, options: { replace?: boolean } = {}): void {
  if (path === window.location.pathname + window.location.search) return;
  if (options.replace) window.history.replaceState(null, '', path);
  else window.history.pushState(null, '', path);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const update = () => setPath(window.location.pathname);
    listeners.add(update);
    window.addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      window.removeEventListener('popstate', update);
    };
  }, []);
  return path;
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

export type Route =
  | { name: 'new' }
  | { name: 'shares' }
  | { name: 'received' }
  | { name: 'landing'; shareId: string }
  | { name: 'not-found' };

export function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/' || clean === '/new') return { name: 'new' };
  if (clean === '/shares') return { name: 'shares' };
  if (clean === '/received') return { name: 'received' };
  const landing = /^\/s\/([^/]+)$/.exec(clean);
  if (landing?.[1]) return { name: 'landing', shareId: decodeURIComponent(landing[1]) };
  return { name: 'not-found' };
}
