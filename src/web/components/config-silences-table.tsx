import type { ConfigSilence } from '../lib/alerts-types.ts';
import { formatDuration } from '../lib/format.ts';
import { RelativeTime } from './relative-time.tsx';
import { matcherText } from './silences-table.tsx';
import { StateBadge } from './state-badge.tsx';

/** When a silence of cairn.yaml holds: its one-off window, or its schedule and next window. */
function WindowCell({ s, now }: { s: ConfigSilence; now: number }) {
  const next = s.nextWindow;
  const at = (iso: string | null, open: string) => (iso ? <RelativeTime iso={iso} now={now} /> : open);
  if (!s.schedule) {
    return (
      <span data-testid="config-silence-window">
        {at(s.startsAt, 'always')} – {at(s.endsAt, 'no end')}
      </span>
    );
  }
  return (
    <span data-testid="config-silence-window">
      <code>{s.schedule.expression}</code> for {formatDuration(s.schedule.durationSeconds * 1000)} (
      {s.schedule.timeZone})
      {next?.startsAt && (
        <>
          <br />
          <span class="hint" data-testid="config-silence-next">
            {s.state === 'active' ? 'Ends ' : 'Next: '}
            {s.state === 'active' ? at(next.endsAt, 'never') : at(next.startsAt, '—')}
          </span>
        </>
      )}
    </span>
  );
}

/** The silences declared in cairn.yaml: shown as they stand, changed only by editing the file. */
export function ConfigSilencesTable({ silences, now }: { silences: ConfigSilence[]; now: number }) {
  return (
    <div class="table-scroll">
      <table data-testid="config-silences-table">
        <caption class="visually-hidden">Silences from cairn.yaml</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Matches</th>
            <th scope="col">State</th>
            <th scope="col">When</th>
            <th scope="col">Comment</th>
          </tr>
        </thead>
        <tbody>
          {silences.map((s) => (
            <tr key={s.id} data-testid="config-silence-row" data-id={s.id} data-state={s.state}>
              <td class="nowrap">
                <span data-testid="config-silence-name">{s.name}</span>{' '}
                <span class="badge tone-neutral" data-testid="silence-origin">
                  from cairn.yaml
                </span>
              </td>
              <td>
                <code class="matcher" title={JSON.stringify(s.match)} data-testid="silence-match">
                  {matcherText(s.match)}
                </code>
              </td>
              <td class="nowrap">
                <StateBadge state={s.state} testId="silence-state" />
              </td>
              <td>
                <WindowCell s={s} now={now} />
              </td>
              <td>{s.comment ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
