import type { Severity } from '../lib/alerts-types.ts';

const LABELS: Record<Severity, string> = { critical: 'Critical', error: 'Error', warning: 'Warning', info: 'Info' };

/** An event's severity, with its colour and its name (never the colour alone). */
export function SeverityBadge({ severity }: { severity: Severity }) {
  return (
    <span class={`badge severity severity-${severity}`} data-testid="severity-badge" data-severity={severity}>
      {LABELS[severity] ?? severity}
    </span>
  );
}
