/** An event's labels as `key = value` chips (text only), or a note that there are none. */
export function LabelsList({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels).sort(([a], [b]) => a.localeCompare(b));
  if (entries.length === 0) return <p class="empty">No labels.</p>;
  return (
    <ul class="label-list" data-testid="event-labels">
      {entries.map(([key, value]) => (
        <li key={key} class="label-chip" data-testid="event-label" data-key={key}>
          <span class="label-key">{key}</span>
          {/^https?:\/\//i.test(value) ? (
            // A runbook or dashboard link: only http(s), so a label can never become a javascript: URL.
            <a class="label-value" href={value} target="_blank" rel="noopener noreferrer">
              {value}
            </a>
          ) : (
            <span class="label-value">{value}</span>
          )}
        </li>
      ))}
    </ul>
  );
}
