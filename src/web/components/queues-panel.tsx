import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import type { QueueInfo } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';
import { pluralize } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Alert } from './alert.tsx';
import { DeadLetters } from './dead-letters.tsx';
import { RedriveButton } from './redrive-button.tsx';

/** Every queue of the hub with its depth; dead letters can be listed, and redriven by an admin. */
export function QueuesPanel({ tick }: { tick: number }) {
  const { user } = useSession();
  const [queues, setQueues] = useState<QueueInfo[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloads, setReloads] = useState(0);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    alertsApi
      .queues()
      .then((res) => {
        if (mine !== generation.current) return;
        setQueues(res.items);
        setError(null);
      })
      .catch((e: unknown) => mine === generation.current && setError(messageOf(e)));
  }, [tick, reloads]);

  return (
    <section class="card" aria-labelledby="queues-heading" data-testid="queues-panel">
      <h2 id="queues-heading">Queues</h2>
      <p class="hint">
        Messages waiting, being worked on, held back for a retry, and given up on (dead letters) in each of the
        hub&rsquo;s queues.
      </p>
      {error && <Alert>{error}</Alert>}
      {notice && (
        <Alert kind="success" testId="redrive-result">
          {notice}
        </Alert>
      )}
      {queues === null && !error && (
        <p class="hint" role="status">
          Loading…
        </p>
      )}
      {queues && queues.length === 0 && <p class="empty">No queues yet.</p>}
      {queues && queues.length > 0 && (
        <div class="table-scroll">
          <table class="queues-table">
            <caption class="visually-hidden">Queue depths</caption>
            <thead>
              <tr>
                <th scope="col">Queue</th>
                <th scope="col" class="num">
                  Waiting
                </th>
                <th scope="col" class="num">
                  In flight
                </th>
                <th scope="col" class="num">
                  Delayed
                </th>
                <th scope="col" class="num">
                  Dead
                </th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            {queues.map((q) => (
              <tbody key={q.name} data-testid="queue-row" data-queue={q.name} data-dead={q.dead}>
                <tr>
                  <th scope="row" class="mono">
                    {q.name}
                  </th>
                  <td class="num">{q.visible}</td>
                  <td class="num">{q.inFlight}</td>
                  <td class="num">{q.delayed}</td>
                  <td class={`num${q.dead > 0 ? ' has-dead' : ''}`} data-testid="queue-dead">
                    {q.dead}
                  </td>
                  <td class="row-actions">
                    {(q.dead > 0 || open === q.name) && (
                      <button
                        type="button"
                        class="button button-small"
                        aria-expanded={open === q.name}
                        aria-controls={`dead-${q.name}`}
                        onClick={() => setOpen(open === q.name ? null : q.name)}
                        data-testid="toggle-dead-letters"
                      >
                        {open === q.name ? 'Hide dead letters' : `Dead letters (${q.dead})`}
                      </button>
                    )}
                  </td>
                </tr>
                {open === q.name && (
                  <tr class="dead-row">
                    <td colSpan={6} id={`dead-${q.name}`}>
                      <div class="dead-actions">
                        {user?.admin ? (
                          <RedriveButton
                            queue={q.name}
                            dead={q.dead}
                            onRedriven={(count) => {
                              setNotice(`Moved ${pluralize(count, 'message')} back to ${q.name}.`);
                              setReloads((r) => r + 1);
                            }}
                          />
                        ) : (
                          <p class="hint">Only an admin can redrive dead letters.</p>
                        )}
                      </div>
                      <DeadLetters queue={q.name} dead={q.dead} />
                    </td>
                  </tr>
                )}
              </tbody>
            ))}
          </table>
        </div>
      )}
    </section>
  );
}
