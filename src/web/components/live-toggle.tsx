/** The "Live" switch: while on, the feed, the chart and the queues refresh every few seconds. */
export function LiveToggle({ live, onChange }: { live: boolean; onChange: (live: boolean) => void }) {
  return (
    <label class={`live-toggle${live ? ' is-live' : ''}`}>
      <input
        type="checkbox"
        role="switch"
        checked={live}
        onChange={(e) => onChange(e.currentTarget.checked)}
        data-testid="live-toggle"
      />
      <span class="live-dot" aria-hidden="true" />
      <span>{live ? 'Live' : 'Paused'}</span>
    </label>
  );
}
