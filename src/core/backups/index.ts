/** Legacy backups: planning, cursors, manifests, retention and the run state machine (docs/backups.md). */
export { BackupService, type StartedRun } from './service.ts';
export { ProgressBoard, type BackupDeps } from './context.ts';
export type { StartOptions } from './planner.ts';
export type { RestoreOptions, RestoreReport, RestoreTarget } from './restore.ts';
export type { VerifyReport } from './verify.ts';
export type { PruneReport } from './prune.ts';
export { applyRetention, type RetentionCandidate, type RetentionDecision } from './retention.ts';
export { comparePositions, compareValues, maxPosition, positionOf } from './cursor.ts';
export { chunkKey, dumpKey, manifestKey, newRunId, JOB_NAME } from './keys.ts';
export { manifestSchema, parseManifest, type Manifest } from './manifest.ts';
export { jobView, runView } from './view.ts';
export * from './errors.ts';
export type * from './model.ts';
