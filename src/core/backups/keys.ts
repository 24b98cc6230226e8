/** Where a run's objects live in cold storage: `backups/<job>/<runId>/…`. */
import { randomId } from '../ids.ts';

export const runPrefix = (job: string, runId: string) => `backups/${job}/${runId}/`;
export const chunkKey = (job: string, runId: string, index: number) =>
  `${runPrefix(job, runId)}chunk-${String(index).padStart(5, '0')}.ndjson.gz`;
export const manifestKey = (job: string, runId: string) => `${runPrefix(job, runId)}manifest.json`;
export const dumpKey = (job: string, runId: string, fileName: string) =>
  `${runPrefix(job, runId)}${safeFileName(fileName)}`;

/** A file name that stays one path segment: letters, digits, `.`, `_` and `-`. */
export function safeFileName(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return clean.length > 0 ? clean.slice(0, 200) : 'dump';
}

/** Run ids sort by start time: `r_20260101T030000Z_k3J9x2Qa`. */
export function newRunId(now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `r_${stamp}_${randomId(8)}`;
}

export const JOB_NAME = /^[a-z0-9][a-z0-9_-]{0,62}$/;
export const RUN_ID = /^r_\d{8}T\d{6}Z_[A-Za-z0-9]{8}$/;
