/** What the backup core needs from the outside, all through ports. */
import type { BackupRunRepository, BackupSource, ColdStore, HotTarget, JobLease } from '../../ports/backups.ts';
import type { EventBus } from '../../ports/event-bus.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Clock } from '../clock.ts';
import type { BackupJobSpec, RunProgress } from './model.ts';

export interface BackupDeps {
  runs: BackupRunRepository;
  lease: JobLease;
  cold: ColdStore;
  events: EventBus;
  clock: Clock;
  logger: Logger;
  openSource(job: BackupJobSpec): Promise<BackupSource>;
  /** The job's hot target, or null when it has none. */
  openHot(job: BackupJobSpec): Promise<HotTarget | null>;
  /** How long a lease lasts without renewal; renewed every third of it while a run works. */
  leaseTtlMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called once a chunk is durably recorded done (tests, progress output). */
  onChunkDone?: (runId: string, index: number) => void | Promise<void>;
}

/** Live counters of the runs working in this process. */
export class ProgressBoard {
  private readonly live = new Map<string, RunProgress>();
  private readonly listeners = new Set<(runId: string, p: RunProgress) => void>();

  start(runId: string, p: RunProgress): RunProgress {
    this.live.set(runId, p);
    return p;
  }
  get(runId: string): RunProgress | undefined {
    return this.live.get(runId);
  }
  update(runId: string, change: Partial<RunProgress> & { addRows?: number; addBytes?: number }): void {
    const p = this.live.get(runId);
    if (!p) return;
    if (change.addRows) p.rows += change.addRows;
    if (change.addBytes) p.bytes += change.addBytes;
    if (change.chunksDone !== undefined) p.chunksDone = change.chunksDone;
    for (const l of this.listeners) l(runId, p);
  }
  end(runId: string): void {
    this.live.delete(runId);
  }
  /** Returns an unsubscribe function. */
  listen(listener: (runId: string, p: RunProgress) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
