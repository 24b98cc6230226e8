import { ApiError, request as apiRequest } from './api.ts';
import type { BackupJob, BackupRun, VerifyReport } from './backups-types.ts';
import type { Page } from './types.ts';

const q = (value: string) => encodeURIComponent(value);

/** A server without the backup capability answers its routes with CAIRN_ROUTE_NOT_FOUND: say so plainly. */
async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await apiRequest<T>(method, path, body);
  } catch (e) {
    if (e instanceof ApiError && e.code === 'CAIRN_ROUTE_NOT_FOUND')
      throw new ApiError(e.status, e.code, 'Backups are not enabled on this server.');
    throw e;
  }
}

export const RUNS_PAGE_SIZE = 10;

/** The backups API, as the Backups page uses it. */
export const backupsApi = {
  jobs: () => request<{ items: BackupJob[] }>('GET', '/api/backups/jobs'),
  runs(job: string, cursor?: string | null) {
    const params = new URLSearchParams({ limit: String(RUNS_PAGE_SIZE) });
    if (cursor) params.set('cursor', cursor);
    return request<Page<BackupRun>>('GET', `/api/backups/jobs/${q(job)}/runs?${params.toString()}`);
  },
  run: (id: string) => request<BackupRun>('GET', `/api/backups/runs/${q(id)}`),
  start: (job: string, full: boolean) =>
    request<BackupRun & { resumed: boolean }>('POST', `/api/backups/jobs/${q(job)}/run`, full ? { full: true } : {}),
  verify: (id: string) => request<VerifyReport>('POST', `/api/backups/runs/${q(id)}/verify`),
};
