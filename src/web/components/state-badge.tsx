/** A hub state (firing, resolved, succeeded, pending, failed, dead, active, scheduled, expired) as a badge. */
const TONES: Record<string, string> = {
  firing: 'danger',
  resolved: 'success',
  succeeded: 'success',
  pending: 'neutral',
  failed: 'warning',
  dead: 'danger',
  active: 'success',
  scheduled: 'neutral',
  expired: 'neutral',
};

const label = (state: string) => state.charAt(0).toUpperCase() + state.slice(1);

export function StateBadge({ state, testId }: { state: string; testId?: string }) {
  return (
    <span class={`badge tone-${TONES[state] ?? 'neutral'}`} data-testid={testId} data-state={state}>
      {label(state)}
    </span>
  );
}
