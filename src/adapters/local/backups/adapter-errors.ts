/**
 * Errors of the backup sources and hot targets (docs/errors.md), beside those of the core
 * (core/backups/errors.ts), whose codes they share. A source or target that went away — refused or
 * dropped connections, a timeout, retries used up — is `unavailable`, so the runner may retry the chunk;
 * a configuration that cannot work is `invalid`; a source or target that answered with a definite error
 * (an SQL error, an HTTP 4xx, a command's non-zero exit) is `internal`.
 */
import {
  BACKUP_HOT_TARGET_UNAVAILABLE,
  BACKUP_SOURCE_INVALID,
  BACKUP_SOURCE_UNAVAILABLE,
} from '../../../core/backups/errors.ts';
import { CairnError } from '../../../core/errors.ts';

export const SOURCE_UNAVAILABLE = BACKUP_SOURCE_UNAVAILABLE;
export const SOURCE_INVALID = BACKUP_SOURCE_INVALID;
export const SOURCE_FAILED = 'CAIRN_BACKUP_SOURCE_FAILED';
export const TARGET_UNAVAILABLE = BACKUP_HOT_TARGET_UNAVAILABLE;
export const TARGET_INVALID = 'CAIRN_BACKUP_HOT_TARGET_INVALID';
export const TARGET_FAILED = 'CAIRN_BACKUP_HOT_TARGET_FAILED';
/** The hot target's unlogged staging table was emptied by a database crash: start the run again. */
export const STAGING_LOST = 'CAIRN_BACKUP_STAGING_LOST';

const withCause = (cause: unknown) => (cause === undefined ? undefined : { cause });

export const sourceUnavailable = (message: string, cause?: unknown) =>
  new CairnError(SOURCE_UNAVAILABLE, 'unavailable', message, withCause(cause));
export const sourceInvalid = (message: string, cause?: unknown) =>
  new CairnError(SOURCE_INVALID, 'invalid', message, withCause(cause));
export const sourceFailed = (message: string, cause?: unknown) =>
  new CairnError(SOURCE_FAILED, 'internal', message, withCause(cause));
export const targetUnavailable = (message: string, cause?: unknown) =>
  new CairnError(TARGET_UNAVAILABLE, 'unavailable', message, withCause(cause));
export const targetInvalid = (message: string, cause?: unknown) =>
  new CairnError(TARGET_INVALID, 'invalid', message, withCause(cause));
export const targetFailed = (message: string, cause?: unknown) =>
  new CairnError(TARGET_FAILED, 'internal', message, withCause(cause));
export const stagingLost = (message: string) => new CairnError(STAGING_LOST, 'conflict', message);
