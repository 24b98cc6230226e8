/** Error codes of the backup capability (listed in docs/errors.md and docs/backups.md). */
import { CairnError, conflict, invalid, notFound } from '../errors.ts';

export const BACKUP_JOB_NOT_FOUND = 'CAIRN_BACKUP_JOB_NOT_FOUND';
export const BACKUP_RUN_NOT_FOUND = 'CAIRN_BACKUP_RUN_NOT_FOUND';
export const BACKUP_RUNNING = 'CAIRN_BACKUP_RUNNING';
export const BACKUP_LEASE_LOST = 'CAIRN_BACKUP_LEASE_LOST';
export const BACKUP_SOURCE_UNAVAILABLE = 'CAIRN_BACKUP_SOURCE_UNAVAILABLE';
export const BACKUP_SOURCE_INVALID = 'CAIRN_BACKUP_SOURCE_INVALID';
export const BACKUP_CHUNK_CORRUPT = 'CAIRN_BACKUP_CHUNK_CORRUPT';
export const BACKUP_MANIFEST_INVALID = 'CAIRN_BACKUP_MANIFEST_INVALID';
export const BACKUP_CHAIN_BROKEN = 'CAIRN_BACKUP_CHAIN_BROKEN';
export const BACKUP_RUN_NOT_RESTORABLE = 'CAIRN_BACKUP_RUN_NOT_RESTORABLE';
export const BACKUP_RESTORE_TARGET_INVALID = 'CAIRN_BACKUP_RESTORE_TARGET_INVALID';
export const BACKUP_RESTORE_TARGET_NOT_EMPTY = 'CAIRN_BACKUP_RESTORE_TARGET_NOT_EMPTY';
export const BACKUP_HOT_TARGET_UNAVAILABLE = 'CAIRN_BACKUP_HOT_TARGET_UNAVAILABLE';
export const BACKUP_ADAPTER_MISSING = 'CAIRN_BACKUP_ADAPTER_MISSING';

export const jobNotFound = (job: string) =>
  notFound(BACKUP_JOB_NOT_FOUND, `No backup job "${job}": list them with \`npx cairn backup jobs\`.`);
export const runNotFound = (id: string) => notFound(BACKUP_RUN_NOT_FOUND, `No backup run "${id}".`);
export const alreadyRunning = (job: string) =>
  conflict(BACKUP_RUNNING, `A run of "${job}" is in progress (it holds the job's lease); try again when it ends.`);
export const leaseLost = (job: string) =>
  new CairnError(BACKUP_LEASE_LOST, 'conflict', `The lease of "${job}" expired and was taken; this run stopped.`);
export const sourceUnavailable = (message: string, cause?: unknown) =>
  new CairnError(BACKUP_SOURCE_UNAVAILABLE, 'unavailable', message, { cause });
export const sourceInvalid = (message: string) => invalid(BACKUP_SOURCE_INVALID, message);
export const chunkCorrupt = (key: string, problem: string, cause?: unknown) =>
  new CairnError(BACKUP_CHUNK_CORRUPT, 'internal', `${key}: ${problem}`, { cause, details: { key, problem } });
export const manifestInvalid = (key: string, problem: string) =>
  new CairnError(BACKUP_MANIFEST_INVALID, 'internal', `${key}: ${problem}`, { details: { key } });
export const chainBroken = (message: string) => new CairnError(BACKUP_CHAIN_BROKEN, 'conflict', message);
export const notRestorable = (message: string) => invalid(BACKUP_RUN_NOT_RESTORABLE, message);
export const restoreTargetInvalid = (message: string) => invalid(BACKUP_RESTORE_TARGET_INVALID, message);
export const restoreTargetNotEmpty = (what: string) =>
  conflict(
    BACKUP_RESTORE_TARGET_NOT_EMPTY,
    `${what} is not empty: restore into a new table (--table) or directory, or pass --merge to upsert into the table.`,
  );
export const hotTargetUnavailable = (message: string, cause?: unknown) =>
  new CairnError(BACKUP_HOT_TARGET_UNAVAILABLE, 'unavailable', message, { cause });
export const adapterMissing = (what: string, cause?: unknown) =>
  new CairnError(BACKUP_ADAPTER_MISSING, 'unavailable', `${what} is not available in this build.`, { cause });

/** A short, log-safe description of any error. */
export function describeError(err: unknown): string {
  if (err instanceof CairnError) return `${err.message} (${err.code})`;
  return err instanceof Error ? err.message : String(err);
}
