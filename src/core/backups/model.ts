/** The backup capability's records: jobs as the core sees them, runs, chunks and retention rules. */
import type { ChunkSpec, CursorPosition, PlanRequest, StoredObjectRef, TableSchema } from '../../ports/backups.ts';

export type BackupMode = 'full' | 'incremental';
export type RunStatus = 'running' | 'succeeded' | 'failed';
/** How far a run got; a resumed run continues from its phase (run-state.ts). */
export type RunPhase = 'chunks' | 'hot-committed' | 'manifest-written' | 'done' | 'failed';
export type RunTrigger = 'manual' | 'api' | 'schedule' | 'missed';

export interface RetentionRules {
  /** Seconds a run's history record (failed or pruned runs) stays listed; the live hot table is never pruned. */
  hot?: number;
  /** Seconds a run's cold objects are kept at least (restic --keep-within). */
  cold?: number;
  keepLast?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
  keepYearly?: number;
}

/** A job from cairn.yaml, reduced to what the core decides with. */
export interface BackupJobSpec {
  name: string;
  mode: BackupMode;
  /** The source's type and a description with no secrets (for manifests and the API). */
  source: { type: string } & Record<string, unknown>;
  cursor: { column: string } | null;
  chunkRows: number;
  /** gzip level of cold chunks, 1 (fastest) to 9 (smallest). */
  compressionLevel: number;
  concurrency: number;
  /** Attempts per chunk after the first; backoff doubles from `backoffMs`. */
  retries: number;
  backoffMs: number;
  /** The hot table's name, or null when the job has no hot target. */
  hotTable: string | null;
  retention: RetentionRules;
  notify: { onSuccess: boolean; onFailure: boolean; onLate: boolean };
  /** Time zone of the schedules, also used for the daily/weekly… retention buckets. */
  timeZone: string;
  /** startDate (ISO): where rate() expressions count from (absent: the epoch). */
  schedule: { incremental: string | null; full: string | null; startDate?: string | null };
  missedRunPolicy: 'skip' | 'runOnce';
}

/** What was decided when the run was planned: stored with the run so that a resumed run does the same. */
export interface RunPlan {
  kind: 'rows' | 'dump';
  schema: TableSchema | null;
  request: PlanRequest | null;
  /** Incremental runs: the run this one continues (its cursor was the starting point). */
  basedOn: string | null;
}

export interface BackupRun {
  id: string;
  job: string;
  mode: BackupMode;
  kind: 'rows' | 'dump';
  status: RunStatus;
  phase: RunPhase;
  trigger: RunTrigger;
  scheduledFor: Date | null;
  startedAt: Date;
  finishedAt: Date | null;
  plan: RunPlan;
  cursorFrom: CursorPosition | null;
  cursorTo: CursorPosition | null;
  chunksTotal: number;
  chunksDone: number;
  rows: number;
  bytes: number;
  hotRows: number | null;
  manifestKey: string | null;
  error: string | null;
  verifiedAt: Date | null;
  verifyOk: boolean | null;
  verifyError: string | null;
  prunedAt: Date | null;
}

export interface ChunkRecord extends ChunkSpec {
  status: 'pending' | 'done';
  attempts: number;
  stored: StoredObjectRef | null;
  /** The greatest (cursor, key) among the chunk's rows; null when it had none or the job has no cursor. */
  maxCursor: CursorPosition | null;
  error: string | null;
}

export interface CommittedCursor {
  column: string;
  position: CursorPosition;
  runId: string;
}

/** Live progress of a run in this process (the API adds it to the stored record). */
export interface RunProgress {
  chunksTotal: number;
  chunksDone: number;
  rows: number;
  bytes: number;
}
