/** The backups API's answers (src/core/backups/view.ts), as the Backups page reads them. */
export type BackupRunStatus = 'running' | 'succeeded' | 'failed';

export interface BackupRunVerify {
  at: string | null;
  ok: boolean | null;
  error: string | null;
}

export interface BackupRun {
  id: string;
  job: string;
  mode: 'full' | 'incremental';
  kind: 'rows' | 'dump';
  status: BackupRunStatus;
  phase: string;
  trigger: string;
  scheduledFor: string | null;
  startedAt: string;
  finishedAt: string | null;
  durationMs: number | null;
  chunksTotal: number;
  chunksDone: number;
  rows: number;
  bytes: number;
  hotRows: number | null;
  basedOn: string | null;
  manifestKey: string | null;
  error: string | null;
  verify: BackupRunVerify | null;
  prunedAt: string | null;
  /** True while the run works in this server process (rows, bytes and progress are live). */
  live: boolean;
  /** GET /api/backups/runs/:id only, while live. */
  progress?: { total: number; done: number } | null;
}

export interface BackupJob {
  name: string;
  mode: 'full' | 'incremental';
  source: { type: string } & Record<string, unknown>;
  cursor: { column: string } | null;
  schedule: { incremental: string | null; full: string | null; timeZone: string; startDate?: string };
  hotTable: string | null;
  chunkRows: number;
  concurrency: number;
  missedRunPolicy: string;
  /** Not sent by the API yet; shown when it is. */
  nextFireAt?: string | null;
  lastRun: BackupRun | null;
}

export interface VerifyReport {
  runId: string;
  ok: boolean;
  chunks: number;
  rows: number;
  bytes: number;
  problems: { key: string; problem: string }[];
}
