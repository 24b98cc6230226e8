import type { Delivery } from '../lib/alerts-types.ts';
import { RelativeTime } from './relative-time.tsx';
import { StateBadge } from './state-badge.tsx';

/** Where the event went: one row per channel or subscription, with its attempts and last error. */
export function DeliveriesTable({ deliveries, now }: { deliveries: Delivery[]; now: number }) {
  if (deliveries.length === 0) {
    return (
      <p class="empty" data-testid="deliveries-empty">
        No deliveries: no route or subscription has taken this event (yet), or a silence held it.
      </p>
    );
  }
  return (
    <div class="table-scroll">
      <table data-testid="deliveries">
        <caption class="visually-hidden">Deliveries of this event</caption>
        <thead>
          <tr>
            <th scope="col">Target</th>
            <th scope="col">Status</th>
            <th scope="col">Attempts</th>
            <th scope="col">Last attempt</th>
            <th scope="col">Delivered</th>
            <th scope="col">Last error</th>
          </tr>
        </thead>
        <tbody>
          {deliveries.map((d) => (
            <tr key={d.id} data-testid="delivery-row" data-target={d.target} data-status={d.status}>
              <td class="mono nowrap" data-testid="delivery-target">
                {d.target}
              </td>
              <td class="nowrap">
                <StateBadge state={d.status} testId="delivery-status" />
              </td>
              <td data-testid="delivery-attempts">{d.attempts}</td>
              <td>{d.lastAttemptAt ? <RelativeTime iso={d.lastAttemptAt} now={now} /> : '—'}</td>
              <td>{d.deliveredAt ? <RelativeTime iso={d.deliveredAt} now={now} /> : '—'}</td>
              <td class={d.lastError ? 'error-text' : undefined} data-testid="delivery-error">
                {d.lastError ?? '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
