import type { Silence } from '../lib/alerts-types.ts';
import { policyToPairs } from '../lib/silence-matcher.ts';
import { ExpireSilenceButton } from './expire-silence-button.tsx';
import { RelativeTime } from './relative-time.tsx';
import { StateBadge } from './state-badge.tsx';

export function silenceState(s: Silence, now: number): 'scheduled' | 'active' | 'expired' {
  if (Date.parse(s.endsAt) <= now) return 'expired';
  return Date.parse(s.startsAt) > now ? 'scheduled' : 'active';
}

/** `service = payments, severity = warning | info` when the matcher is that simple, else its JSON. */
export function matcherText(match: Record<string, unknown>): string {
  const pairs = policyToPairs(match);
  if (!pairs || pairs.length === 0) return JSON.stringify(match);
  const byKey = new Map<string, string[]>();
  for (const p of pairs) byKey.set(p.key, [...(byKey.get(p.key) ?? []), p.value]);
  return [...byKey].map(([k, vs]) => `${k} = ${vs.join(' | ')}`).join(', ');
}

/** Silences, newest first: what they match, their window, whether they hold now, and "Expire". */
export function SilencesTable({
  silences,
  now,
  onExpired,
}: {
  silences: Silence[];
  now: number;
  onExpired: (s: Silence) => void;
}) {
  return (
    <div class="table-scroll">
      <table data-testid="silences-table">
        <caption class="visually-hidden">Silences</caption>
        <thead>
          <tr>
            <th scope="col">Matches</th>
            <th scope="col">State</th>
            <th scope="col">Starts</th>
            <th scope="col">Ends</th>
            <th scope="col">Comment</th>
            <th scope="col">By</th>
            <th scope="col">
              <span class="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {silences.map((s) => {
            const state = silenceState(s, now);
            return (
              <tr key={s.id} data-testid="silence-row" data-id={s.id} data-state={state}>
                <td>
                  <code class="matcher" title={JSON.stringify(s.match)} data-testid="silence-match">
                    {matcherText(s.match)}
                  </code>
                </td>
                <td class="nowrap">
                  <StateBadge state={state} testId="silence-state" />
                </td>
                <td class="nowrap">
                  <RelativeTime iso={s.startsAt} now={now} />
                </td>
                <td class="nowrap">
                  <RelativeTime iso={s.endsAt} now={now} />
                </td>
                <td data-testid="silence-comment-text">{s.comment ?? '—'}</td>
                <td class="nowrap">{s.createdBy ?? '—'}</td>
                <td class="row-actions">
                  {state !== 'expired' && <ExpireSilenceButton silence={s} onExpired={onExpired} />}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
