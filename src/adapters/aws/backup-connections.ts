/**
 * A backup job's source and hot target on Lambda. Sources reached over the network (Postgres, REST)
 * use the local runtime's own adapters, imported statically so they are bundled; their secrets
 * (`urlEnv`, `auth.valueEnv`) come from the app secret merged over the environment. A source on the
 * legacy host's disk or run there (sqlite, command, file) is refused, naming the job: Lambda cannot
 * reach it. The hot target is always the deployment's Postgres (HOT_DB_SECRET_ID); the job's `hot:`
 * section chooses the table and schema there (a local `sqlite:` path or URL does not apply on AWS).
 */
import type { BackupJobConfig, BackupSourceConfig } from '../../config/backups.ts';
import { invalid } from '../../core/errors.ts';
import type { BackupSource, HotTarget } from '../../ports/backups.ts';
import { sourceInvalid } from '../local/backups/adapter-errors.ts';
import { PostgresSource } from '../local/backups/sources/postgres.ts';
import { RestSource } from '../local/backups/sources/rest.ts';
import { PostgresHotTarget } from '../local/backups/targets/postgres.ts';

export const BACKUP_SOURCE_NOT_ON_LAMBDA = 'CAIRN_BACKUP_SOURCE_NOT_ON_LAMBDA';

/** One Lambda invocation works one chunk: two connections are plenty, and many chunks run at once. */
const CONNECTIONS = 2;

export interface LambdaSourceContext {
  job: string;
  /** process.env with the app secret's names over it. */
  env: Record<string, string | undefined>;
}

export const sourceNotOnLambda = (job: string, type: string) =>
  invalid(
    BACKUP_SOURCE_NOT_ON_LAMBDA,
    `backups.jobs.${job}: a ${type} source lives on the legacy host (its disk or its programs), which the ` +
      `backup functions on AWS cannot reach. Run this job with \`cairn serve\` on that host, or read the ` +
      `system over the network with a postgres or rest source.`,
  );

export function lambdaSource(source: BackupSourceConfig, ctx: LambdaSourceContext): BackupSource {
  switch (source.type) {
    case 'postgres': {
      const url = source.url ?? ctx.env[source.urlEnv!];
      if (!url)
        throw sourceInvalid(
          `backups.jobs.${ctx.job}.source.urlEnv: ${source.urlEnv} is in neither the app secret (APP_SECRET_ID) nor the function's environment.`,
        );
      return new PostgresSource({ ...source, url, maxConnections: CONNECTIONS }, { job: ctx.job });
    }
    case 'rest':
      return new RestSource(source, { job: ctx.job, env: ctx.env });
    case 'sqlite':
    case 'command':
    case 'file':
      throw sourceNotOnLambda(ctx.job, source.type);
  }
}

/** The Postgres hot target at `url` (from the secret), in the job's schema. */
export function lambdaHotTarget(url: string, hot: NonNullable<BackupJobConfig['hot']>): HotTarget {
  return new PostgresHotTarget({ url, ...(hot.schema ? { schema: hot.schema } : {}), maxConnections: CONNECTIONS });
}
