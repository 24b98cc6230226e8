import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../components/alert.tsx';
import { BackupJobsTable } from '../components/backup-jobs-table.tsx';
import { BackupRunsPanel } from '../components/backup-runs-panel.tsx';
import { messageOf } from '../lib/api.ts';
import { backupsApi } from '../lib/backups-api.ts';
import type { BackupJob, BackupRun } from '../lib/backups-types.ts';
import { useSession } from '../lib/session.ts';
import { useNow, useTicker } from '../lib/use-ticker.ts';

const POLL_MS = 10_000;

/** Legacy backups: the jobs of cairn.yaml with their last run, a job's run history, runs started by hand. */
export function BackupsPage({ job }: { job: string | null }) {
  const { user } = useSession();
  const admin = user?.admin === true;
  const [jobs, setJobs] = useState<BackupJob[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [active, setActive] = useState<Record<string, BackupRun>>({});
  const [reloads, setReloads] = useState(0);
  const tick = useTicker(POLL_MS);
  const now = useNow(30_000);
  const generation = useRef(0);

  useEffect(() => {
    const mine = ++generation.current;
    backupsApi
      .jobs()
      .then((res) => {
        if (mine !== generation.current) return;
        setJobs(res.items);
        setError(null);
        // A run started elsewhere (the scheduler, the CLI) that is still going: watch it too.
        setActive((prev) => {
          let next = prev;
          for (const j of res.items) {
            const last = j.lastRun;
            if (last?.status === 'running' && prev[j.name]?.id !== last.id) next = { ...next, [j.name]: last };
          }
          return next;
        });
      })
      .catch((e: unknown) => mine === generation.current && setError(messageOf(e)));
  }, [tick, reloads]);

  const onStarted = useCallback((run: BackupRun) => {
    setActive((prev) => ({ ...prev, [run.job]: run }));
    setReloads((r) => r + 1);
  }, []);
  const onFinished = useCallback((run: BackupRun) => {
    setActive((prev) => ({ ...prev, [run.job]: run }));
    setReloads((r) => r + 1);
  }, []);

  const known = jobs === null || job === null || jobs.some((j) => j.name === job);
  return (
    <main id="main" class="page backups-page" data-testid="backups-page">
      <div class="page-head">
        <h1>Backups</h1>
      </div>
      <section class="card" aria-labelledby="backup-jobs-heading" data-testid="backup-jobs">
        <h2 id="backup-jobs-heading">Jobs</h2>
        <p class="hint">
          Each job copies a legacy source to the hot database and to cold storage on its schedule. Pick a job to see its
          runs.
        </p>
        {error && <Alert>{error}</Alert>}
        {jobs === null && !error && (
          <p class="hint" role="status">
            Loading…
          </p>
        )}
        {jobs && jobs.length === 0 && <p class="empty">No backup jobs in cairn.yaml.</p>}
        {jobs && jobs.length > 0 && (
          <BackupJobsTable
            jobs={jobs}
            selected={job}
            active={active}
            admin={admin}
            now={Math.max(now, Date.now())}
            onStarted={onStarted}
            onFinished={onFinished}
          />
        )}
        {!admin && jobs && jobs.length > 0 && <p class="hint">Only an admin can start or verify a run.</p>}
      </section>
      {job && !known && <Alert>No backup job is named {job}.</Alert>}
      {job && known && <BackupRunsPanel key={job} job={job} admin={admin} reloads={reloads} />}
    </main>
  );
}
