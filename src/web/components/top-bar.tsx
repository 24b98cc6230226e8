import { useState } from 'preact/hooks';
import { useSession } from '../lib/session.ts';
import type { Route } from '../lib/router.ts';
import { Link } from './link.tsx';
import { Logo } from './logo.tsx';

const NAV: { href: string; label: string; routes: Route['name'][]; testId: string }[] = [
  { href: '/', label: 'New share', routes: ['new'], testId: 'nav-new' },
  { href: '/shares', label: 'My shares', routes: ['shares'], testId: 'nav-shares' },
  { href: '/received', label: 'Shared with me', routes: ['received'], testId: 'nav-received' },
  { href: '/alerts', label: 'Alerts', routes: ['alerts', 'alert-event'], testId: 'nav-alerts' },
  { href: '/metrics', label: 'Metrics', routes: ['metrics'], testId: 'nav-metrics' },
  { href: '/backups', label: 'Backups', routes: ['backups'], testId: 'nav-backups' },
];

export function TopBar({ route }: { route: Route['name'] }) {
  const { user, signOut } = useSession();
  const [busy, setBusy] = useState(false);
  return (
    <header class="top-bar">
      <div class="top-bar-inner">
        <Link href="/" class="brand">
          <Logo />
          <span>Cairn</span>
        </Link>
        {user && (
          <nav aria-label="Main" class="main-nav">
            {NAV.map((item) => (
              <Link key={item.href} href={item.href} current={item.routes.includes(route)} testId={item.testId}>
                {item.label}
              </Link>
            ))}
          </nav>
        )}
        {user && (
          <div class="user-menu">
            <span class="user-name" data-testid="current-user" title={user.username}>
              {user.displayName || user.username}
            </span>
            <button
              type="button"
              class="button button-quiet"
              data-testid="sign-out"
              disabled={busy}
              onClick={async () => {
                setBusy(true);
                try {
                  await signOut();
                } finally {
                  setBusy(false);
                }
              }}
            >
              Sign out
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
