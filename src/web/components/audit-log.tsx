import { useCallback } from 'preact/hooks';
import { api } from '../lib/api.ts';
import { usePagedList } from '../lib/use-paged-list.ts';
import { Alert } from './alert.tsx';
import { Time } from './time.tsx';

/** Every download of a share: who, when, from which address, which file. */
export function AuditLog({ shareId }: { shareId: string }) {
  const fetchPage = useCallback((cursor?: string | null) => api.downloads(shareId, cursor), [shareId]);
  const list = usePagedList(fetchPage);

  return (
    <div class="audit-log" data-testid="audit-log">
      {list.error && <Alert>{list.error}</Alert>}
      {!list.loading && !list.error && list.items.length === 0 && <p class="empty">No downloads yet.</p>}
      {list.items.length > 0 && (
        <div class="table-scroll">
          <table>
            <caption class="visually-hidden">Downloads of this share</caption>
            <thead>
              <tr>
                <th scope="col">Who</th>
                <th scope="col">When</th>
                <th scope="col">From</th>
                <th scope="col">File</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td data-testid="audit-actor">{entry.actor}</td>
                  <td>
                    <Time iso={entry.at} />
                  </td>
                  <td>
                    <span class="mono" data-testid="audit-ip">
                      {entry.ip}
                    </span>
                    <span class="user-agent" title={entry.userAgent}>
                      {entry.userAgent}
                    </span>
                  </td>
                  <td data-testid="audit-file">
                    {entry.fileId === null ? `${entry.fileName} (all files)` : entry.fileName}
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
        <button type="button" class="button" onClick={list.loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}
