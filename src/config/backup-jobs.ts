/**
 * cairn.yaml's backup jobs as the core's job specs, for both runtimes. Kept apart from the adapters
 * (which load SQLite, which no Lambda bundle may contain) so the local runtime and Lambda share it.
 */
import type { BackupJobSpec } from '../core/backups/model.ts';
import type { BackupJobConfig, BackupSourceConfig } from './backups.ts';

/** What a manifest may say about a source: never a password or a token. */
export function describeSource(source: BackupSourceConfig): { type: string } & Record<string, unknown> {
  switch (source.type) {
    case 'sqlite':
      return {
        type: 'sqlite',
        path: source.path,
        ...(source.table ? { table: source.table } : { query: source.query }),
      };
    case 'postgres': {
      const where = source.url ? source.url.replace(/\/\/[^@/]*@/, '//') : `$${source.urlEnv}`;
      return {
        type: 'postgres',
        url: where,
        ...(source.table ? { table: source.table, schema: source.schema ?? null } : { query: source.query }),
      };
    }
    case 'rest':
      return { type: 'rest', url: source.url.split('?')[0], pagination: source.pagination.style };
    case 'command':
      return { type: 'command', program: source.argv[0], fileName: source.fileName };
    case 'file':
      return { type: 'file', path: source.path };
  }
}

export function jobSpec(name: string, job: BackupJobConfig): BackupJobSpec {
  const table =
    job.hot?.table ?? ('table' in job.source && job.source.table ? job.source.table : name.replace(/-/g, '_'));
  return {
    name,
    mode: job.mode,
    source: describeSource(job.source),
    cursor: job.cursor ? { column: job.cursor.column } : null,
    chunkRows: job.cold.chunkRows,
    compressionLevel: job.cold.level,
    concurrency: job.concurrency,
    retries: job.retries,
    backoffMs: job.retryBackoff * 1000,
    hotTable: job.hot ? table : null,
    retention: Object.fromEntries(Object.entries(job.retention).filter(([, v]) => v !== undefined)),
    notify: job.notify,
    timeZone: job.schedule.timeZone,
    schedule: {
      incremental: job.schedule.incremental ?? null,
      full: job.schedule.full ?? null,
      startDate: job.schedule.startDate ?? null,
    },
    missedRunPolicy: job.missedRunPolicy,
  };
}
