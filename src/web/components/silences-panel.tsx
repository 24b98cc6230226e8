import { useEffect, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import type { ConfigSilence } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';
import { EMPTY_FILTERS } from '../lib/event-filters.ts';
import { usePagedList } from '../lib/use-paged-list.ts';
import { useNow } from '../lib/use-ticker.ts';
import { Alert } from './alert.tsx';
import { ConfigSilencesTable } from './config-silences-table.tsx';
import { SilenceForm } from './silence-form.tsx';
import { SilencesTable } from './silences-table.tsx';

/** Runtime silences: create one, see them all, expire one; and the silences of cairn.yaml, read-only. */
export function SilencesPanel() {
  const list = usePagedList(alertsApi.silences);
  const [configured, setConfigured] = useState<ConfigSilence[]>([]);
  const [configError, setConfigError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [labelKeys, setLabelKeys] = useState<string[]>([]);
  useNow(15_000);
  const now = Date.now();

  useEffect(() => {
    alertsApi.configSilences().then(setConfigured, (e: unknown) => setConfigError(messageOf(e)));
  }, []);

  useEffect(() => {
    // Label names on recent events, as suggestions for the matcher's attributes.
    alertsApi
      .events(EMPTY_FILTERS, Date.now())
      .then((page) => setLabelKeys([...new Set(page.items.flatMap((e) => Object.keys(e.labels)))].sort()))
      .catch(() => {});
  }, []);

  return (
    <div class="silences-panel" data-testid="silences-panel">
      <SilenceForm
        labelKeys={labelKeys}
        onCreated={(silence) => {
          list.update((items) => [silence, ...items.filter((s) => s.id !== silence.id)]);
          setNotice('Silence created.');
        }}
      />
      <section class="card" aria-labelledby="silences-heading">
        <h2 id="silences-heading">Silences</h2>
        {notice && (
          <Alert kind="success" testId="silence-notice">
            {notice}
          </Alert>
        )}
        {list.error && <Alert>{list.error}</Alert>}
        {!list.loading && !list.error && list.items.length === 0 && (
          <p class="empty" data-testid="silences-empty">
            No silences. Events notify as their routes say.
          </p>
        )}
        {list.items.length > 0 && (
          <SilencesTable
            silences={list.items}
            now={now}
            onExpired={(expired) => {
              // It ended "now" by the server's clock; never show it as still active because of clock skew.
              const ended = {
                ...expired,
                endsAt: new Date(Math.min(Date.parse(expired.endsAt), Date.now())).toISOString(),
              };
              list.update((items) => items.map((s) => (s.id === expired.id ? ended : s)));
              setNotice('Silence expired.');
            }}
          />
        )}
        {list.loading && (
          <p class="hint" role="status">
            Loading…
          </p>
        )}
        {list.hasMore && !list.loading && (
          <button type="button" class="button load-more" onClick={list.loadMore}>
            Load more
          </button>
        )}
      </section>
      {(configured.length > 0 || configError) && (
        <section class="card" aria-labelledby="config-silences-heading" data-testid="config-silences">
          <h2 id="config-silences-heading">From cairn.yaml</h2>
          <p class="hint">
            Declared under <code>alerts.silences</code> in cairn.yaml: read-only here. Edit the file to change or remove
            one.
          </p>
          {configError && <Alert>{configError}</Alert>}
          {configured.length > 0 && <ConfigSilencesTable silences={configured} now={now} />}
        </section>
      )}
    </div>
  );
}
