/** A backup run's status (running, succeeded, failed) as a badge. */
const TONES: Record<string, string> = { running: 'neutral', succeeded: 'success', failed: 'danger' };
const LABELS: Record<string, string> = { running: 'Running', succeeded: 'Succeeded', failed: 'Failed' };

export function BackupStatusBadge({ status, testId = 'backup-run-status' }: { status: string; testId?: string }) {
  return (
    <span class={`badge tone-${TONES[status] ?? 'neutral'}`} data-testid={testId} data-status={status}>
      {LABELS[status] ?? status}
    </span>
  );
}
