import type { BackupJob, BackupRun } from '../lib/backups-types.ts';
import { BackupLastRun } from './backup-last-run.tsx';
import { BackupRunButtons } from './backup-run-buttons.tsx';
import { BackupRunProgress } from './backup-run-progress.tsx';
import { BackupSchedule } from './backup-schedule.tsx';
import { Link } from './link.tsx';

/** What a source reads, without secrets: its table, query or file. */
function sourceDetail(source: BackupJob['source']): string | null {
  for (const key of ['table', 'query', 'fileName', 'path', 'url']) {
    const value = source[key];
    if (typeof value === 'string' && value) return value;
  }
  return null;
}

/** Every backup job from cairn.yaml with its newest run; admins can start one and watch it. */
export function BackupJobsTable({
  jobs,
  selected,
  active,
  admin,
  now,
  onStarted,
  onFinished,
}: {
  jobs: BackupJob[];
  selected: string | null;
  active: Record<string, BackupRun>;
  admin: boolean;
  now: number;
  onStarted: (run: BackupRun) => void;
  onFinished: (run: BackupRun) => void;
}) {
  return (
    <div class="table-scroll">
      <table class="backup-jobs-table">
        <caption class="visually-hidden">Backup jobs</caption>
        <thead>
          <tr>
            <th scope="col">Job</th>
            <th scope="col">Source</th>
            <th scope="col">Mode</th>
            <th scope="col">Schedule</th>
            <th scope="col">Last run</th>
            {admin && (
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        {jobs.map((job) => {
          const run = active[job.name];
          const detail = sourceDetail(job.source);
          return (
            <tbody
              key={job.name}
              data-testid="backup-job"
              data-job={job.name}
              class={selected === job.name ? 'is-selected' : undefined}
            >
              <tr>
                <th scope="row">
                  <Link
                    href={`/backups/jobs/${encodeURIComponent(job.name)}`}
                    current={selected === job.name}
                    class="mono"
                    testId="backup-job-link"
                  >
                    {job.name}
                  </Link>
                </th>
                <td>
                  <span class="badge tone-neutral" data-testid="backup-source-type">
                    {job.source.type}
                  </span>
                  {detail && <div class="hint mono backup-source-detail">{detail}</div>}
                </td>
                <td data-testid="backup-job-mode">
                  {job.mode}
                  {job.cursor && <div class="hint">cursor {job.cursor.column}</div>}
                </td>
                <td>
                  <BackupSchedule job={job} />
                </td>
                <td>
                  <BackupLastRun run={job.lastRun} now={now} />
                </td>
                {admin && (
                  <td class="row-actions">
                    <BackupRunButtons
                      job={job.name}
                      running={run?.status === 'running' || job.lastRun?.status === 'running'}
                      onStarted={onStarted}
                    />
                  </td>
                )}
              </tr>
              {run && (
                <tr class="backup-progress-row">
                  <td colSpan={admin ? 6 : 5}>
                    <BackupRunProgress key={run.id} initial={run} onFinished={onFinished} />
                  </td>
                </tr>
              )}
            </tbody>
          );
        })}
      </table>
    </div>
  );
}
