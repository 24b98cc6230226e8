import { useCallback, useEffect, useRef } from 'preact/hooks';
import { backupsApi } from '../lib/backups-api.ts';
import type { BackupRun } from '../lib/backups-types.ts';
import { formatBytes, formatCount, formatDuration } from '../lib/format.ts';
import { usePagedList } from '../lib/use-paged-list.ts';
import { Alert } from './alert.tsx';
import { BackupStatusBadge } from './backup-status-badge.tsx';
import { Time } from './time.tsx';
import { VerifyRunButton } from './verify-run-button.tsx';

function VerifyState({ verify }: { verify: BackupRun['verify'] }) {
  if (!verify?.at) return null;
  return (
    <div class="hint" data-testid="backup-run-verified" data-ok={String(verify.ok)}>
      {verify.ok ? 'Verified' : 'Verify failed'} <Time iso={verify.at} />
      {verify.error && <div class="backup-error">{verify.error}</div>}
    </div>
  );
}

/** A job's run history, newest first, a page at a time; admins can verify a succeeded run. */
export function BackupRunsPanel({ job, admin, reloads }: { job: string; admin: boolean; reloads: number }) {
  const fetchPage = useCallback((cursor?: string | null) => backupsApi.runs(job, cursor), [job]);
  const list = usePagedList(fetchPage);
  const first = useRef(reloads);
  useEffect(() => {
    if (reloads === first.current) return;
    first.current = reloads;
    list.reload();
  }, [reloads]);

  return (
    <section class="card" aria-labelledby="backup-runs-heading" data-testid="backup-runs" data-job={job}>
      <h2 id="backup-runs-heading">
        Runs of <span class="mono">{job}</span>
      </h2>
      {list.error && <Alert>{list.error}</Alert>}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">No runs yet.</p>}
      {list.items.length > 0 && (
        <div class="table-scroll">
          <table class="backup-runs-table">
            <caption class="visually-hidden">Run history</caption>
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Run</th>
                <th scope="col">Started / finished</th>
                <th scope="col" class="num">
                  Rows
                </th>
                <th scope="col" class="num">
                  Bytes
                </th>
                <th scope="col" class="num">
                  Duration
                </th>
                <th scope="col">Verify</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((run) => (
                <tr key={run.id} data-testid="backup-run" data-run={run.id} data-status={run.status}>
                  <td>
                    <BackupStatusBadge status={run.status} />
                    {run.status === 'running' && (
                      <div class="hint">
                        {run.chunksDone}/{run.chunksTotal || '?'} chunks
                      </div>
                    )}
                  </td>
                  <td>
                    <span class="mono backup-run-id">{run.id}</span>
                    <div class="hint">
                      {run.mode} · {run.trigger}
                      {run.prunedAt && ' · pruned'}
                    </div>
                    {run.error && (
                      <div class="backup-error" data-testid="backup-run-error">
                        {run.error}
                      </div>
                    )}
                  </td>
                  <td class="nowrap" data-testid="backup-run-times">
                    <Time iso={run.startedAt} />
                    <div class="hint">{run.finishedAt ? <Time iso={run.finishedAt} /> : 'not finished'}</div>
                  </td>
                  <td class="num" data-testid="backup-run-rows" data-rows={run.rows}>
                    {formatCount(run.rows)}
                  </td>
                  <td class="num nowrap">{formatBytes(run.bytes)}</td>
                  <td class="num nowrap" data-testid="backup-run-duration">
                    {formatDuration(run.durationMs)}
                  </td>
                  <td>
                    <VerifyState verify={run.verify} />
                    {admin && run.status === 'succeeded' && !run.prunedAt && (
                      <VerifyRunButton
                        runId={run.id}
                        onVerified={(report) =>
                          list.update((items) =>
                            items.map((r) =>
                              r.id === run.id
                                ? {
                                    ...r,
                                    verify: {
                                      at: new Date().toISOString(),
                                      ok: report.ok,
                                      error: report.ok ? null : `${report.problems.length} problem(s)`,
                                    },
                                  }
                                : r,
                            ),
                          )
                        }
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.loading && (
        <p class="hint" role="status">
          Loading…
        </p>
      )}
      {list.hasMore && !list.loading && (
        <button type="button" class="button" onClick={list.loadMore} data-testid="backup-runs-more">
          Load more
        </button>
      )}
    </section>
  );
}
