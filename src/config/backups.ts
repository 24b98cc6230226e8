import { z } from 'zod';
import { assertTimeZone, parseSchedule } from '../core/backups/schedule/index.ts';
import { isCairnError } from '../core/errors.ts';
import { backupSourceSchema, columns, envName, name, oneOf } from './backup-sources.ts';
import { seconds } from './schema-units.ts';

/**
 * `backups:` in cairn.yaml — legacy backups (docs/backups.md). Each job names a source, a mode, its
 * EventBridge schedules, a hot target (optional) and cold storage (always: the object store).
 */
const schedule = z.string().superRefine((v, ctx) => {
  try {
    parseSchedule(v);
  } catch (e) {
    ctx.addIssue({ code: 'custom', message: isCairnError(e) ? e.message : String(e) });
  }
});

const hot = z
  .object({
    sqlite: z.string().min(1).optional(),
    postgres: z
      .union([z.string().regex(/^postgres(ql)?:\/\//, 'a postgres:// URL'), z.object({ urlEnv: envName }).strict()])
      .optional(),
    /** The live table's name (default: the source table's, or the job's). */
    table: name.optional(),
    schema: name.optional(),
  })
  .strict()
  .refine(oneOf(['sqlite', 'postgres']), 'give exactly one of sqlite or postgres');

const count = z.number().int().min(1).max(100_000).optional();

export const backupJobSchema = z
  .object({
    source: backupSourceSchema,
    mode: z.enum(['full', 'incremental']).default('full'),
    cursor: z.object({ column: name, key: columns.optional() }).strict().optional(),
    schedule: z
      .object({
        incremental: schedule.optional(),
        full: schedule.optional(),
        timeZone: z.string().default('UTC'),
        startDate: z.iso.datetime({ offset: true }).optional(),
      })
      .strict()
      .refine(
        (s) => {
          try {
            assertTimeZone(s.timeZone);
            return true;
          } catch {
            return false;
          }
        },
        { message: 'not a known IANA time zone', path: ['timeZone'] },
      )
      .prefault({}),
    hot: hot.optional(),
    cold: z
      .object({
        compression: z.literal('gzip').default('gzip'),
        level: z.number().int().min(1).max(9).default(6),
        chunkRows: z.number().int().min(100).max(10_000_000).default(50_000),
      })
      .strict()
      .prefault({}),
    retention: z
      .object({
        hot: seconds.optional(),
        cold: seconds.optional(),
        keepLast: count,
        keepDaily: count,
        keepWeekly: count,
        keepMonthly: count,
        keepYearly: count,
      })
      .strict()
      .prefault({}),
    concurrency: z.number().int().min(1).max(64).default(4),
    retries: z.number().int().min(0).max(20).default(3),
    retryBackoff: seconds.default(1),
    missedRunPolicy: z.enum(['skip', 'runOnce']).default('skip'),
    /** Later than this after its scheduled time, a run (or a missed one) is reported as `backup.late`. */
    lateAfter: seconds.default(300),
    notify: z
      .object({
        onSuccess: z.boolean().default(false),
        onFailure: z.boolean().default(true),
        onLate: z.boolean().default(true),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((job, ctx) => {
    const dump = job.source.type === 'command' || job.source.type === 'file';
    const issue = (path: string[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (job.mode === 'incremental' && !job.cursor) issue(['cursor'], 'an incremental job needs cursor.column');
    if (dump && job.mode === 'incremental') issue(['mode'], 'a command or file source is stored whole: use mode full');
    if (dump && job.hot) issue(['hot'], 'a command or file source has no rows for a hot target');
  });

export const backupsSchema = z
  .object({
    jobs: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'), backupJobSchema)
      .default({}),
    /** A run's lease on its job lasts this long unless renewed (a dead holder's lease expires after it). */
    leaseTtl: seconds.pipe(z.number().min(1)).default(60),
  })
  .strict();

export type BackupsConfig = z.infer<typeof backupsSchema>;
export type BackupJobConfig = z.infer<typeof backupJobSchema>;
export type { BackupSourceConfig } from './backup-sources.ts';
