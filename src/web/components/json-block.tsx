/** JSON (or any text) shown verbatim in a scrollable block: always text, never markup. */
export function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export function JsonBlock({ value, label, testId }: { value: string; label: string; testId?: string }) {
  return (
    // A scrollable region must be reachable with the keyboard, hence the tabindex and the label.
    <pre class="code-block" tabIndex={0} role="region" aria-label={label} data-testid={testId}>
      <code>{value}</code>
    </pre>
  );
}
