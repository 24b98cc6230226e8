import type { AlertsTab } from '../lib/router.ts';
import { Link } from './link.tsx';

const TABS: { tab: AlertsTab; href: string; label: string }[] = [
  { tab: 'events', href: '/alerts', label: 'Events' },
  { tab: 'queues', href: '/alerts/queues', label: 'Queues' },
  { tab: 'silences', href: '/alerts/silences', label: 'Silences' },
  { tab: 'report', href: '/alerts/report', label: 'Year-end report' },
];

/** The Alerts page's sections, each at its own address so it can be linked to. */
export function AlertsTabs({ current, eventsSearch }: { current: AlertsTab; eventsSearch: string }) {
  return (
    <nav class="tabs" aria-label="Alerts sections">
      {TABS.map((t) => (
        <Link
          key={t.tab}
          href={t.tab === 'events' ? `${t.href}${eventsSearch}` : t.href}
          current={t.tab === current}
          class="tab"
          testId={`tab-${t.tab}`}
        >
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
