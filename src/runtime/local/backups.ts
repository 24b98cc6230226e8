/**
 * Wires the backup capability for the local runtime: job specs from cairn.yaml, the SQLite run history
 * and lease, cold storage over the (encrypted) object store, the event bus; and the scheduler the server
 * starts. The CLI builds the same service without the scheduler.
 */
import type { Clock } from '../../core/clock.ts';
import { BackupService } from '../../core/backups/service.ts';
import type { BackupDeps } from '../../core/backups/context.ts';
import type { BackupsConfig } from '../../config/backups.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Logger } from '../../ports/logger.ts';
import type { ObjectStore } from '../../ports/object-store.ts';
import { ObjectColdStore } from '../../adapters/local/backups/cold-store.ts';
import { createHotTarget, createSource } from '../../adapters/local/backups/factory.ts';
import { jobSpec } from '../../config/backup-jobs.ts';
import { SqliteJobLease } from '../../adapters/local/backups/lease.ts';
import { SqliteBackupRunRepository } from '../../adapters/local/backups/run-repository.ts';
import type { Db } from '../../adapters/local/sqlite/db.ts';
import { BackupScheduler } from './backup-scheduler.ts';

export interface BackupRuntimeDeps {
  db: Db;
  objects: ObjectStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  env?: NodeJS.ProcessEnv;
  /** Relative paths in the config (source files, hot SQLite databases) resolve from here. */
  cwd?: string;
}

/** Anything with an optional `backups:` section (CairnConfig once the lead adds it to the schema). */
export type WithBackups = { readonly backups?: BackupsConfig; readonly dataDir: string };

const DEFAULT_BACKUPS: BackupsConfig = { jobs: {}, leaseTtl: 60 };

export function createBackupService(
  config: WithBackups,
  deps: BackupRuntimeDeps,
  extra: Pick<BackupDeps, 'sleep' | 'onChunkDone'> = {},
): BackupService {
  const backups = config.backups ?? DEFAULT_BACKUPS;
  const env = deps.env ?? process.env;
  const cwd = deps.cwd ?? process.cwd();
  const configs = new Map(Object.entries(backups.jobs));
  const jobConfig = (name: string) => configs.get(name)!;
  const core: BackupDeps = {
    runs: new SqliteBackupRunRepository(deps.db),
    lease: new SqliteJobLease(deps.db, deps.clock),
    cold: new ObjectColdStore(deps.objects),
    events: deps.events,
    clock: deps.clock,
    logger: deps.logger,
    leaseTtlMs: backups.leaseTtl * 1000,
    openSource: (job) => createSource(jobConfig(job.name).source, { job: job.name, env, cwd }),
    openHot: async (job) => {
      const hot = jobConfig(job.name).hot;
      return hot ? createHotTarget(hot, { job: job.name, env, cwd }) : null;
    },
    ...extra,
  };
  return new BackupService(
    core,
    [...configs].map(([name, job]) => jobSpec(name, job)),
  );
}

export interface RunningBackups {
  service: BackupService;
  stop(): void;
}

/** The server's backup scheduler: fires every job on its schedules (see backup-scheduler.ts). */
export async function startBackups(config: WithBackups, deps: BackupRuntimeDeps): Promise<RunningBackups> {
  const service = createBackupService(config, deps);
  const jobs = config.backups?.jobs ?? {};
  const scheduler = new BackupScheduler(service, new SqliteBackupRunRepository(deps.db), deps.clock, deps.logger, {
    lateAfterMs: (job) => (jobs[job.name]?.lateAfter ?? 300) * 1000,
    retryMs: Math.max(1000, (config.backups?.leaseTtl ?? 60) * 500),
  });
  await scheduler.start();
  return { service, stop: () => scheduler.stop() };
}
