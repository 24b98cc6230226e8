import type { BackupRun } from '../lib/backups-types.ts';
import { formatBytes, formatCount, formatDuration } from '../lib/format.ts';
import { BackupStatusBadge } from './backup-status-badge.tsx';
import { RelativeTime } from './relative-time.tsx';

/** A job's newest run in one cell: status, when, rows, bytes and how long it took. */
export function BackupLastRun({ run, now }: { run: BackupRun | null; now: number }) {
  if (!run) return <span class="hint">Never run</span>;
  return (
    <div class="backup-last-run" data-testid="backup-last-run" data-status={run.status}>
      <BackupStatusBadge status={run.status} testId="backup-last-status" />{' '}
      <RelativeTime iso={run.finishedAt ?? run.startedAt} now={now} />
      <div class="hint">
        <span data-testid="backup-last-rows">{formatCount(run.rows)} rows</span> · {formatBytes(run.bytes)}
        {run.durationMs !== null && ` · ${formatDuration(run.durationMs)}`}
      </div>
    </div>
  );
}
