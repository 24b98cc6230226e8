import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';
import { backupsApi } from '../lib/backups-api.ts';
import type { BackupRun } from '../lib/backups-types.ts';
import { formatBytes, formatCount, formatDuration } from '../lib/format.ts';
import { BackupStatusBadge } from './backup-status-badge.tsx';

const POLL_MS = 1000;

/**
 * A run as it works: polls GET /api/backups/runs/:id every second while it is running and shows chunks
 * done of total as a progress bar, with rows and bytes so far; says how it ended, then stops polling.
 */
export function BackupRunProgress({
  initial,
  onFinished,
}: {
  initial: BackupRun;
  onFinished: (run: BackupRun) => void;
}) {
  const [run, setRun] = useState<BackupRun>(initial);
  const [error, setError] = useState<string | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await backupsApi.run(initial.id);
        if (stopped) return;
        setRun(next);
        setError(null);
        if (next.status !== 'running') {
          finished.current(next);
          return;
        }
      } catch (e) {
        if (stopped) return;
        setError(messageOf(e));
      }
      timer = setTimeout(() => void poll(), POLL_MS);
    };
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [initial.id]);

  const total = run.progress?.total ?? run.chunksTotal;
  const done = run.progress?.done ?? run.chunksDone;
  const running = run.status === 'running';
  return (
    <div
      class={`backup-progress is-${run.status}`}
      data-testid="backup-progress"
      data-run={run.id}
      data-status={run.status}
      aria-live="polite"
    >
      <div class="backup-progress-head">
        <BackupStatusBadge status={run.status} testId="backup-progress-status" />
        <span>
          {run.mode === 'full' ? 'Full' : 'Incremental'} run <span class="mono">{run.id}</span>
        </span>
      </div>
      <progress
        max={total > 0 ? total : 1}
        value={total > 0 ? done : running ? undefined : 1}
        aria-label={`Chunks done: ${done} of ${total || '?'}`}
        data-testid="backup-progress-bar"
      />
      <p class="backup-progress-counts">
        <span data-testid="backup-progress-chunks">
          {total > 0 ? `${formatCount(done)} of ${formatCount(total)} chunks` : running ? 'Planning…' : 'No chunks'}
        </span>
        <span data-testid="backup-progress-rows" data-rows={run.rows}>
          {formatCount(run.rows)} rows
        </span>
        <span>{formatBytes(run.bytes)}</span>
        {!running && <span>{formatDuration(run.durationMs)}</span>}
      </p>
      {run.status === 'failed' && run.error && (
        <p class="backup-error" data-testid="backup-progress-error">
          {run.error}
        </p>
      )}
      {error && (
        <p class="backup-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
