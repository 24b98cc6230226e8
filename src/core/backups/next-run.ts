import type { BackupJobSpec } from './model.ts';
import { nextFireTimes } from './schedule/index.ts';

/** Where a job's rate() schedules count from: its schedule's startDate, else the epoch. */
export const scheduleStartOf = (job: BackupJobSpec): Date => new Date(job.schedule.startDate ?? 0);

/**
 * The job's next scheduled run after `from` in its time zone, or null when no schedule fires again.
 * The full run comes first, so it wins a tie. The scheduler fires by it and the API shows it.
 */
export function nextScheduledRun(job: BackupJobSpec, from: Date): { at: Date; kind: 'full' | 'incremental' } | null {
  let best: { at: Date; kind: 'full' | 'incremental' } | null = null;
  for (const kind of ['full', 'incremental'] as const) {
    const expression = job.schedule[kind];
    if (!expression) continue;
    const [at] = nextFireTimes(expression, { from, count: 1, timeZone: job.timeZone, startDate: scheduleStartOf(job) });
    if (at && (!best || at < best.at)) best = { at, kind };
  }
  return best;
}
