import type { AlarmStateName } from '../lib/metrics-types.ts';

const TONES: Record<AlarmStateName, string> = { OK: 'success', ALARM: 'danger', INSUFFICIENT_DATA: 'neutral' };
const LABELS: Record<AlarmStateName, string> = { OK: 'OK', ALARM: 'ALARM', INSUFFICIENT_DATA: 'INSUFFICIENT_DATA' };

/** A CloudWatch alarm state (OK, ALARM, INSUFFICIENT_DATA) as a badge. */
export function AlarmStateBadge({ state, testId }: { state: AlarmStateName; testId?: string }) {
  return (
    <span class={`badge alarm-badge tone-${TONES[state] ?? 'neutral'}`} data-testid={testId} data-state={state}>
      {LABELS[state] ?? state}
    </span>
  );
}
