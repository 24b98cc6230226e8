import type { BackupJob } from '../lib/backups-types.ts';
import { formatDateTime } from '../lib/format.ts';

/** A job's EventBridge schedules (and the next fire, when the API sends it). */
export function BackupSchedule({ job }: { job: BackupJob }) {
  const { incremental, full, timeZone } = job.schedule;
  if (!incremental && !full) return <span class="hint">Manual only</span>;
  return (
    <div class="backup-schedule" data-testid="backup-schedule">
      {incremental && (
        <div>
          <span class="hint">{job.mode === 'full' ? 'Runs' : 'Incremental'}</span>{' '}
          <span class="mono">{incremental}</span>
        </div>
      )}
      {full && (
        <div>
          <span class="hint">Full</span> <span class="mono">{full}</span>
        </div>
      )}
      <div class="hint">{timeZone}</div>
      {job.nextFireAt && (
        <div class="hint" data-testid="backup-next-fire">
          Next: <time dateTime={job.nextFireAt}>{formatDateTime(job.nextFireAt)}</time>
        </div>
      )}
    </div>
  );
}
