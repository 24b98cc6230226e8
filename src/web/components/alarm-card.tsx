import { type AlarmItem, COMPARISON_SIGNS } from '../lib/metrics-types.ts';
import { AlarmStateBadge } from './alarm-state-badge.tsx';
import { RelativeTime } from './relative-time.tsx';

/** CloudWatch's `2019-10-02T17:04:40.989+0000` as ISO 8601. */
const iso = (t: string) => t.replace(/\+0000$/, 'Z');

/** One alarm: its state, reason and last change, its rule, and its recent state changes. */
export function AlarmCard({ alarm, now }: { alarm: AlarmItem; now: number }) {
  const state = alarm.state?.value ?? 'INSUFFICIENT_DATA';
  return (
    <li class="card alarm-card" data-testid="alarm" data-alarm={alarm.AlarmName} data-state={state}>
      <div class="alarm-head">
        <h3>{alarm.AlarmName}</h3>
        <AlarmStateBadge state={state} testId="alarm-state" />
      </div>
      {alarm.AlarmDescription && <p class="hint">{alarm.AlarmDescription}</p>}
      <p class="alarm-rule" data-testid="alarm-rule">
        {`${alarm.Namespace} / ${alarm.MetricName}: ${alarm.statistic} ${COMPARISON_SIGNS[alarm.ComparisonOperator] ?? alarm.ComparisonOperator} ${alarm.Threshold}` +
          ` for ${alarm.DatapointsToAlarm} of ${alarm.EvaluationPeriods} periods of ${alarm.Period} s (missing data: ${alarm.TreatMissingData})`}
      </p>
      {alarm.state ? (
        <p class="alarm-reason">
          <span data-testid="alarm-reason">{alarm.state.reason}</span>{' '}
          <span class="hint">
            Changed <RelativeTime iso={iso(alarm.state.timestamp)} now={now} testId="alarm-changed" />
          </span>
        </p>
      ) : (
        <p class="hint">Not evaluated yet.</p>
      )}
      <details class="alarm-history" open={alarm.history.length > 0}>
        <summary>Recent history ({alarm.history.length})</summary>
        {alarm.history.length === 0 ? (
          <p class="hint">No state changes yet.</p>
        ) : (
          <ol class="alarm-history-list">
            {alarm.history.map((h) => (
              <li key={h.id} data-testid="alarm-history-item" data-new-state={h.newState}>
                <RelativeTime iso={h.timestamp} now={now} /> <AlarmStateBadge state={h.oldState} /> →{' '}
                <AlarmStateBadge state={h.newState} /> <span class="alarm-history-reason">{h.reason}</span>
              </li>
            ))}
          </ol>
        )}
      </details>
    </li>
  );
}
