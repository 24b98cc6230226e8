import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';
import { backupsApi } from '../lib/backups-api.ts';
import type { BackupRun } from '../lib/backups-types.ts';

/** "Run now" and "Run full": start a run of the job (admins only); the run goes on in the background. */
export function BackupRunButtons({
  job,
  running,
  onStarted,
}: {
  job: string;
  running: boolean;
  onStarted: (run: BackupRun) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const start = async (full: boolean) => {
    setBusy(true);
    setError(null);
    try {
      onStarted(await backupsApi.start(job, full));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="backup-run-buttons">
      <button
        type="button"
        class="button button-primary button-small"
        disabled={busy || running}
        onClick={() => void start(false)}
        data-testid="backup-run-now"
      >
        Run now
      </button>
      <button
        type="button"
        class="button button-small"
        disabled={busy || running}
        onClick={() => void start(true)}
        data-testid="backup-run-full"
      >
        Run full
      </button>
      {error && (
        <p class="backup-error" role="alert" data-testid="backup-run-error">
          {error}
        </p>
      )}
    </div>
  );
}
