import { useEffect, useRef } from 'preact/hooks';
import { TopBar } from './components/top-bar.tsx';
import { matchRoute, usePath, type Route } from './lib/router.ts';
import { SessionContext, useSession, useSessionState } from './lib/session.ts';
import type { User } from './lib/types.ts';
import { AlertEventPage } from './pages/alert-event-page.tsx';
import { AlertsPage } from './pages/alerts-page.tsx';
import { AuthCallbackPage } from './pages/auth-callback-page.tsx';
import { BackupsPage } from './pages/backups-page.tsx';
import { MetricsPage } from './pages/metrics-page.tsx';
import { MySharesPage } from './pages/my-shares-page.tsx';
import { NewSharePage } from './pages/new-share-page.tsx';
import { NotFoundPage } from './pages/not-found-page.tsx';
import { ReceivedPage } from './pages/received-page.tsx';
import { ShareLandingPage } from './pages/share-landing-page.tsx';
import { SignInPage } from './pages/sign-in-page.tsx';

const TITLES: Record<Route['name'], string> = {
  new: 'New share',
  shares: 'My shares',
  received: 'Shared with me',
  alerts: 'Alerts',
  'alert-event': 'Alert event',
  backups: 'Backups',
  metrics: 'Metrics',
  landing: 'Shared files',
  'not-found': 'Not found',
};

function Page({ route, user, path }: { route: Route; user: User | null | undefined; path: string }) {
  const { authPaths } = useSession();
  if (path === authPaths?.callback) return <AuthCallbackPage />;
  if (route.name === 'landing') return <ShareLandingPage key={route.shareId} shareId={route.shareId} />;
  if (user === undefined) {
    return (
      <main id="main" class="page narrow">
        <p role="status">Loading…</p>
      </main>
    );
  }
  if (user === null || path === authPaths?.signIn) return <SignInPage />;
  if (route.name === 'new') return <NewSharePage />;
  if (route.name === 'shares') return <MySharesPage />;
  if (route.name === 'received') return <ReceivedPage />;
  if (route.name === 'alerts') return <AlertsPage tab={route.tab} />;
  if (route.name === 'alert-event') return <AlertEventPage key={route.eventId} eventId={route.eventId} />;
  if (route.name === 'metrics') return <MetricsPage />;
  if (route.name === 'backups') return <BackupsPage job={route.job} />;
  return <NotFoundPage />;
}

export function App() {
  const path = usePath();
  const route = matchRoute(path);
  // Local sign-in or Cognito's hosted UI (when /config.json names a user pool client): lib/session.ts.
  const session = useSessionState();
  const user = session.user;

  useEffect(() => {
    document.title = `${user === null && route.name !== 'landing' ? 'Sign in' : TITLES[route.name]} · Cairn`;
  }, [route.name, user]);

  // After an in-app navigation, move focus to the new page so screen readers announce it.
  const firstPath = useRef(path);
  useEffect(() => {
    if (path === firstPath.current) return;
    firstPath.current = '';
    const main = document.getElementById('main');
    main?.setAttribute('tabindex', '-1');
    main?.focus({ preventScroll: true });
  }, [path]);

  return (
    <SessionContext.Provider value={session}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <TopBar route={route.name} />
      <Page route={route} user={user} path={path} />
    </SessionContext.Provider>
  );
}
