/** Rows of migration 500's tables as the backup core's records. */
import type { CursorPosition } from '../../../ports/backups.ts';
import type { BackupRun, ChunkRecord, RunPhase } from '../../../core/backups/model.ts';

export interface RunRow {
  id: string;
  job: string;
  mode: BackupRun['mode'];
  kind: BackupRun['kind'];
  status: BackupRun['status'];
  phase: RunPhase;
  trigger: BackupRun['trigger'];
  scheduled_for: number | null;
  started_at: number;
  finished_at: number | null;
  plan: string;
  cursor_from: string | null;
  cursor_to: string | null;
  chunks_total: number;
  chunks_done: number;
  rows: number;
  bytes: number;
  hot_rows: number | null;
  manifest_key: string | null;
  error: string | null;
  verified_at: number | null;
  verify_ok: number | null;
  verify_error: string | null;
  pruned_at: number | null;
}

export const SELECT = `SELECT r.*, (SELECT count(*) FROM backup_chunks c WHERE c.run_id = r.id AND c.status = 'done') AS chunks_done FROM backup_runs r`;
export const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));
export const parse = <T>(s: string | null): T | null => (s === null ? null : (JSON.parse(s) as T));
const date = (ms: number | null) => (ms === null ? null : new Date(ms));

export function toRun(r: RunRow): BackupRun {
  return {
    id: r.id,
    job: r.job,
    mode: r.mode,
    kind: r.kind,
    status: r.status,
    phase: r.phase,
    trigger: r.trigger,
    scheduledFor: date(r.scheduled_for),
    startedAt: new Date(r.started_at),
    finishedAt: date(r.finished_at),
    plan: JSON.parse(r.plan) as BackupRun['plan'],
    cursorFrom: parse<CursorPosition>(r.cursor_from),
    cursorTo: parse<CursorPosition>(r.cursor_to),
    chunksTotal: r.chunks_total,
    chunksDone: r.chunks_done,
    rows: r.rows,
    bytes: r.bytes,
    hotRows: r.hot_rows,
    manifestKey: r.manifest_key,
    error: r.error,
    verifiedAt: date(r.verified_at),
    verifyOk: r.verify_ok === null ? null : r.verify_ok === 1,
    verifyError: r.verify_error,
    prunedAt: date(r.pruned_at),
  };
}

export interface ChunkRow {
  idx: number;
  label: string;
  params: string;
  status: 'pending' | 'done';
  attempts: number;
  object_key: string | null;
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  max_cursor: string | null;
  error: string | null;
}

export const toChunk = (c: ChunkRow): ChunkRecord => ({
  index: c.idx,
  label: c.label,
  params: JSON.parse(c.params) as Record<string, unknown>,
  status: c.status,
  attempts: c.attempts,
  stored: c.object_key ? { key: c.object_key, rows: c.rows ?? 0, bytes: c.bytes ?? 0, sha256: c.sha256 ?? '' } : null,
  maxCursor: parse<CursorPosition>(c.max_cursor),
  error: c.error,
});
