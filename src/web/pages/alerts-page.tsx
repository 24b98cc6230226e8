import { useEffect, useState } from 'preact/hooks';
import { AlertsTabs } from '../components/alerts-tabs.tsx';
import { EventsPanel } from '../components/events-panel.tsx';
import { LiveToggle } from '../components/live-toggle.tsx';
import { QueuesPanel } from '../components/queues-panel.tsx';
import { ReportPanel } from '../components/report-panel.tsx';
import { SilencesPanel } from '../components/silences-panel.tsx';
import { eventsHref, rememberEventsSearch } from '../lib/alerts-nav.ts';
import { type EventFilters, filtersToSearch, parseFilters } from '../lib/event-filters.ts';
import { type AlertsTab, navigate, useSearch } from '../lib/router.ts';
import { useNow, useTicker } from '../lib/use-ticker.ts';

const POLL_MS = 5000;
const LIVE_KEY = 'cairn.alerts.live';

function initialLive(): boolean {
  try {
    return localStorage.getItem(LIVE_KEY) !== 'off';
  } catch {
    return true;
  }
}

/** The notification hub: events (filters, chart, live feed), queues, silences and the year-end report. */
export function AlertsPage({ tab }: { tab: AlertsTab }) {
  const search = useSearch();
  const [live, setLive] = useState(initialLive);
  const polls = tab === 'events' || tab === 'queues';
  const tick = useTicker(POLL_MS, live && polls);
  // Relative times ("2 minutes ago") stay true even when nothing new arrives.
  useNow(30_000);

  const filters = parseFilters(tab === 'events' ? search : '');
  useEffect(() => {
    if (tab === 'events') rememberEventsSearch(filtersToSearch(parseFilters(search)));
  }, [tab, search]);

  const setFilters = (next: EventFilters) =>
    navigate(`/alerts${filtersToSearch(next)}`, { replace: true, keepScroll: true });

  return (
    <main id="main" class="page alerts-page" data-testid="alerts-page" data-tab={tab}>
      <div class="page-head">
        <h1>Alerts</h1>
        {polls && (
          <LiveToggle
            live={live}
            onChange={(on) => {
              setLive(on);
              try {
                localStorage.setItem(LIVE_KEY, on ? 'on' : 'off');
              } catch {
                // Private mode: the choice lasts for this page only.
              }
            }}
          />
        )}
      </div>
      <AlertsTabs
        current={tab}
        eventsSearch={tab === 'events' ? filtersToSearch(filters) : eventsHref().slice('/alerts'.length)}
      />
      {tab === 'events' && <EventsPanel filters={filters} onFilters={setFilters} tick={tick} />}
      {tab === 'queues' && <QueuesPanel tick={tick} />}
      {tab === 'silences' && <SilencesPanel />}
      {tab === 'report' && <ReportPanel />}
    </main>
  );
}
