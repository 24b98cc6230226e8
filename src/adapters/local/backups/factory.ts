/**
 * Builds a job's source and hot target from its configuration. SQLite is built in; Postgres, REST and
 * command/file sources and the Postgres hot target live in their own modules, loaded on demand so that a
 * job without them never loads a driver:
 *   sources/postgres.ts  export class PostgresSource  (new PostgresSource(config, context))
 *   sources/rest.ts      export class RestSource      (new RestSource(config, context))
 *   sources/command.ts   export class CommandSource, FileSource
 *   targets/postgres.ts  export class PostgresHotTarget (new PostgresHotTarget({ url, schema }))
 * `config` is the job's `source:` section as parsed (src/config/backups.ts), with `url` resolved from
 * `urlEnv` for Postgres; `context` carries the job name and the environment (for secrets from env vars).
 */
import { resolve } from 'node:path';
import type { BackupSource, HotTarget } from '../../../ports/backups.ts';
import { adapterMissing, restoreTargetInvalid, sourceInvalid } from '../../../core/backups/errors.ts';
import type { BackupJobConfig, BackupSourceConfig } from '../../../config/backups.ts';
import { SqliteHotTarget } from './sqlite-hot-target.ts';
import { SqliteSource } from './sqlite-source.ts';

export interface SourceContext {
  job: string;
  env: NodeJS.ProcessEnv;
  /** Base for relative paths in the config. */
  cwd: string;
}

type Ctor<T> = new (...args: unknown[]) => T;

async function load<T>(module: string, name: string): Promise<Ctor<T>> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(/* @vite-ignore */ new URL(module, import.meta.url).href)) as Record<string, unknown>;
  } catch (e) {
    throw adapterMissing(`${name} (${module})`, e);
  }
  const ctor = mod[name];
  if (typeof ctor !== 'function') throw adapterMissing(`${name} (${module} does not export it)`);
  return ctor as Ctor<T>;
}

function envUrl(env: NodeJS.ProcessEnv, name: string, where: string): string {
  const url = env[name];
  if (!url) throw sourceInvalid(`${where}: the environment variable ${name} is not set.`);
  return url;
}

export async function createSource(source: BackupSourceConfig, ctx: SourceContext): Promise<BackupSource> {
  switch (source.type) {
    case 'sqlite':
      return new SqliteSource({
        path: resolve(ctx.cwd, source.path),
        ...(source.table ? { table: source.table } : {}),
        ...(source.query ? { query: source.query } : {}),
        ...(source.primaryKey ? { primaryKey: source.primaryKey } : {}),
      });
    case 'postgres': {
      const url = source.url ?? envUrl(ctx.env, source.urlEnv!, `backups.jobs.${ctx.job}.source.urlEnv`);
      return new (await load<BackupSource>('./sources/postgres.ts', 'PostgresSource'))({ ...source, url }, ctx);
    }
    case 'rest':
      return new (await load<BackupSource>('./sources/rest.ts', 'RestSource'))(source, ctx);
    case 'command':
      return new (await load<BackupSource>('./sources/command.ts', 'CommandSource'))(source, ctx);
    case 'file':
      return new (await load<BackupSource>('./sources/command.ts', 'FileSource'))(
        { ...source, path: resolve(ctx.cwd, source.path) },
        ctx,
      );
  }
}

export async function createHotTarget(
  hot: NonNullable<BackupJobConfig['hot']>,
  ctx: SourceContext,
): Promise<HotTarget> {
  if (hot.sqlite) return new SqliteHotTarget(resolve(ctx.cwd, hot.sqlite));
  const pg = hot.postgres!;
  const url = typeof pg === 'string' ? pg : envUrl(ctx.env, pg.urlEnv, `backups.jobs.${ctx.job}.hot.postgres.urlEnv`);
  return postgresTarget(url, hot.schema);
}

async function postgresTarget(url: string, schema?: string): Promise<HotTarget> {
  return new (await load<HotTarget>('./targets/postgres.ts', 'PostgresHotTarget'))({
    url,
    ...(schema ? { schema } : {}),
  });
}

/** `--to sqlite:PATH`, `--to postgres://…` or `--to DIR`. */
export async function openRestoreTarget(to: string, cwd: string) {
  if (to.startsWith('sqlite:')) {
    const path = to.slice('sqlite:'.length);
    if (!path) throw restoreTargetInvalid('Give a path after sqlite:, e.g. --to sqlite:./restored.db');
    return { kind: 'table' as const, target: new SqliteHotTarget(resolve(cwd, path)), label: `sqlite:${path}` };
  }
  if (/^postgres(ql)?:\/\//.test(to)) {
    const label = to.replace(/\/\/[^@/]*@/, '//***@');
    return { kind: 'table' as const, target: await postgresTarget(to), label };
  }
  if (to.includes('://'))
    throw restoreTargetInvalid(`Cannot restore to ${to}: use sqlite:PATH, postgres://… or a directory.`);
  return { kind: 'dir' as const, dir: resolve(cwd, to), label: to };
}
