/**
 * The backups table (docs/aws-data-model.md, `BACKUPS_TABLE`): runs, their chunks, each job's cursor,
 * lease and schedule state. Kept beside its adapters (backup-run-repository.ts, backup-lease.ts) so
 * the CDK app (infra/lib/constructs/private/tables.ts) and the tests create the same table.
 *   gsi1: a job's runs, newest first      gsi2: every run, newest first
 *   gsi3: a job's runs by state — `RUNNING#` (by start), `KEPT#` (succeeded, unpruned) and `GONE#`
 *         (failed or pruned), both by finish time.
 * TTL removes lease items some time after they expired.
 */
import type { TableDefinition } from './tables.ts';

export const BACKUPS_TABLE: TableDefinition = {
  env: 'BACKUPS_TABLE',
  ttlAttribute: 'ttl',
  indexes: ['gsi1', 'gsi2', 'gsi3'],
};
