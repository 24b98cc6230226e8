import { existsSync, readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import type { BackupsConfig } from '../../../src/config/backups.ts';
import { logsSchema, type LogsConfig } from '../../../src/config/logs.ts';
import { configSchema, type ConfigFile } from '../../../src/config/schema.ts';

/** A backup job as the CDK app needs it: when it runs, how wide, and how long its copies are kept. */
export interface InfraBackupJob {
  readonly name: string;
  readonly sourceType: string;
  readonly schedules: { expression: string; timeZone: string; mode: 'full' | 'incremental' }[];
  readonly concurrency: number;
  /** Seconds; undefined: kept in the hot class / forever. */
  readonly hotRetention?: number;
  readonly coldRetention?: number;
}

export interface InfraConfig {
  /** The file read, or null when none exists (every default applies). */
  readonly file: string | null;
  /** Everything src/config/schema.ts knows, validated exactly as `cairn serve` validates it. */
  readonly app: ConfigFile;
  readonly logs: Pick<LogsConfig, 'groups' | 'metricFilters' | 'alarms'>;
  readonly backups: { readonly jobs: InfraBackupJob[] };
}

export class CairnConfigError extends Error {
  override readonly name = 'CairnConfigError';
  readonly code = 'CAIRN_CONFIG_INVALID';
}

/**
 * Reads cairn.yaml for the CDK app with the local runtime's own schemas, so what runs locally deploys
 * unchanged, and every problem is reported at once with its key. `logs` is parsed with
 * src/config/logs.ts directly while the top-level schema does not include it yet.
 */
export function readCairnConfig(file: string | null): InfraConfig {
  let raw: Record<string, unknown> = {};
  if (file && existsSync(file)) {
    try {
      raw = (parseYaml(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
    } catch (e) {
      throw new CairnConfigError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new CairnConfigError(`${file}: the top level must be a mapping of keys`);
  } else file = null;

  const logsInSchema = 'logs' in (configSchema.shape as Record<string, unknown>);
  const forSchema = { ...raw };
  if (!logsInSchema) delete forSchema.logs;

  const problems: string[] = [];
  const app = collect(configSchema.safeParse(forSchema), '', problems);
  const logs = logsInSchema
    ? ((app as { logs?: LogsConfig } | undefined)?.logs ?? undefined)
    : collect(logsSchema.safeParse(raw.logs ?? {}), 'logs.', problems);
  if (problems.length > 0)
    throw new CairnConfigError(`${file ?? 'config'}: invalid configuration:\n  ${problems.join('\n  ')}`);
  return {
    file,
    app: app!,
    logs: { groups: logs?.groups ?? {}, metricFilters: logs?.metricFilters ?? [], alarms: logs?.alarms ?? [] },
    backups: { jobs: backupJobs(app!.backups) },
  };
}

function collect<T>(result: z.ZodSafeParseResult<T>, prefix: string, problems: string[]): T | undefined {
  if (result.success) return result.data;
  for (const i of result.error.issues) {
    if (i.code === 'unrecognized_keys')
      for (const k of i.keys) problems.push(`${prefix}${[...i.path, k].join('.')}: unknown key`);
    else problems.push(`${prefix}${i.path.join('.') || '(section)'}: ${i.message}`);
  }
  return undefined;
}

function backupJobs(backups: BackupsConfig): InfraBackupJob[] {
  return Object.entries(backups.jobs).map(([name, job]) => ({
    name,
    sourceType: job.source.type,
    schedules: [
      ...(job.schedule.incremental
        ? [{ expression: job.schedule.incremental, timeZone: job.schedule.timeZone, mode: 'incremental' as const }]
        : []),
      ...(job.schedule.full
        ? [{ expression: job.schedule.full, timeZone: job.schedule.timeZone, mode: 'full' as const }]
        : []),
    ],
    concurrency: job.concurrency,
    hotRetention: job.retention.hot,
    coldRetention: job.retention.cold,
  }));
}
