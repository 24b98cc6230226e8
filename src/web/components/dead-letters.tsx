import { useCallback, useEffect, useRef } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import { usePagedList } from '../lib/use-paged-list.ts';
import { Alert } from './alert.tsx';
import { JsonBlock } from './json-block.tsx';
import { eventHref } from './event-row.tsx';
import { Link } from './link.tsx';
import { RelativeTime } from './relative-time.tsx';

/** The messages a queue gave up on: their event, when, after how many tries, the last error and the body. */
export function DeadLetters({ queue, dead }: { queue: string; dead: number }) {
  const fetchPage = useCallback((cursor?: string | null) => alertsApi.deadLetters(queue, cursor), [queue]);
  const list = usePagedList(fetchPage);
  const { reload } = list;
  const now = Date.now();
  // The queue's dead count changed (a redrive, a new failure): show the list as it is now.
  const seen = useRef(dead);
  useEffect(() => {
    if (seen.current === dead) return;
    seen.current = dead;
    reload();
  }, [dead, reload]);

  return (
    <div class="dead-letters" data-testid="dead-letters" data-queue={queue}>
      {list.error && <Alert>{list.error}</Alert>}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">No dead letters.</p>}
      {list.items.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Dead letters of {queue}</caption>
            <thead>
              <tr>
                <th scope="col">Event</th>
                <th scope="col">Message</th>
                <th scope="col">Dead since</th>
                <th scope="col">Tries</th>
                <th scope="col">Last error</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((d) => (
                <tr key={d.id} data-testid="dead-letter" data-id={d.id} data-event-id={d.eventId ?? ''}>
                  <td data-testid="dead-letter-event">
                    {d.eventId ? (
                      <Link href={eventHref(d.eventId)} testId="dead-letter-event-link">
                        {d.title ?? d.eventId}
                      </Link>
                    ) : (
                      '—'
                    )}
                    {d.source && <span class="hint"> from {d.source}</span>}
                    {d.eventCount > 1 && <span class="hint"> and {d.eventCount - 1} more</span>}
                  </td>
                  <td>
                    <details>
                      <summary class="mono">{d.id}</summary>
                      <JsonBlock value={JSON.stringify(d.body, null, 2)} label={`Body of message ${d.id}`} />
                    </details>
                  </td>
                  <td>
                    <RelativeTime iso={d.deadAt} now={now} />
                  </td>
                  <td>{d.receiveCount}</td>
                  <td class={d.lastError ? 'error-text' : undefined} data-testid="dead-letter-error">
                    {d.lastError ?? '—'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.loading && (
        <p class="hint" role="status">
          Loading…
        </p>
      )}
      {list.hasMore && !list.loading && (
        <button type="button" class="button button-small" onClick={list.loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}
