import { formatDateTime, formatRelative } from '../lib/format.ts';

/** "3 minutes ago", with the exact ISO instant (and the local date) in the tooltip. */
export function RelativeTime({ iso, now, testId }: { iso: string; now: number; testId?: string }) {
  return (
    <time dateTime={iso} title={`${iso} (${formatDateTime(iso)})`} data-testid={testId}>
      {formatRelative(iso, now)}
    </time>
  );
}
