import type { Duration } from 'aws-cdk-lib';
import type { BackupJob, LegacyBackupProps } from '../legacy-backup.ts';
import { missingEntries, type PropsRule } from './validation.ts';

const JOB_NAME = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SCHEDULE = /^(cron\(.+\)|rate\(\d+ (minute|minutes|hour|hours|day|days)\))$/;
const days = (d: Duration | undefined) => (d === undefined ? undefined : d.toSeconds({ integral: false }) / 86400);
const isWholeDays = (d: Duration | undefined) => d === undefined || (Number.isInteger(days(d)) && days(d)! >= 0);
const coldNotAfterHot = (j: BackupJob) =>
  j.coldRetention !== undefined && j.hotRetention !== undefined && days(j.coldRetention)! <= days(j.hotRetention)!;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every rule LegacyBackup's props must keep; all broken ones are reported together. */
export const LEGACY_BACKUP_RULES: readonly PropsRule<LegacyBackupProps>[] = [
  {
    fails: (p) => p.jobs.some((j) => !JOB_NAME.test(j.name)),
    message: (p) =>
      `job names must be lower-case letters, digits and - (at most 40): ${p.jobs
        .filter((j) => !JOB_NAME.test(j.name))
        .map((j) => j.name)
        .join(', ')}`,
  },
  { fails: (p) => new Set(p.jobs.map((j) => j.name)).size !== p.jobs.length, message: 'job names must be unique' },
  {
    fails: (p) => p.jobs.some((j) => j.schedules.length === 0),
    message: (p) =>
      `every job needs a schedule: ${p.jobs
        .filter((j) => j.schedules.length === 0)
        .map((j) => j.name)
        .join(', ')}`,
  },
  {
    fails: (p) => p.jobs.some((j) => j.schedules.some((s) => !SCHEDULE.test(s.expression))),
    message: (p) =>
      `schedule expressions must be cron(...) or rate(N unit): ${p.jobs.flatMap((j) => j.schedules.filter((s) => !SCHEDULE.test(s.expression)).map((s) => `${j.name}: ${s.expression}`)).join(', ')}`,
  },
  {
    fails: (p) => p.jobs.some((j) => j.schedules.some((s) => !validTimeZone(s.timeZone))),
    message: (p) =>
      `unknown time zones: ${p.jobs.flatMap((j) => j.schedules.filter((s) => !validTimeZone(s.timeZone)).map((s) => `${j.name}: ${s.timeZone}`)).join(', ')}`,
  },
  {
    fails: (p) =>
      p.jobs.some(
        (j) =>
          j.maxConcurrency !== undefined &&
          (!Number.isInteger(j.maxConcurrency) || j.maxConcurrency < 1 || j.maxConcurrency > 40),
      ),
    message: 'maxConcurrency must be an integer from 1 to 40 (an inline Map state runs at most 40 iterations at once)',
  },
  {
    fails: (p) =>
      p.jobs.some((j) => !isWholeDays(j.hotRetention) || !isWholeDays(j.coldRetention) || days(j.coldRetention) === 0),
    message: 'hotRetention and coldRetention must be whole days (S3 lifecycle counts days)',
  },
  {
    fails: (p) => p.jobs.some(coldNotAfterHot),
    message: (p) =>
      `coldRetention must be longer than hotRetention: ${p.jobs
        .filter(coldNotAfterHot)
        .map((j) => j.name)
        .join(', ')}`,
  },
  {
    fails: (p) =>
      !!p.objectLock &&
      p.jobs.some((j) => j.coldRetention !== undefined && days(j.coldRetention)! < days(p.objectLock!.retention)!),
    message:
      "objectLock.retention must not exceed any job's coldRetention: a locked copy cannot be deleted when its retention ends",
  },
  { fails: (p) => !!p.existingDatabase && !!p.database, message: 'give either existingDatabase or database, not both' },
  {
    fails: (p) => !!p.existingVpc && p.natGateways !== undefined,
    message: 'natGateways shapes a VPC this construct makes; it does not apply to existingVpc',
  },
  {
    fails: (p) => !!p.existingDatabase?.vpc && !!p.existingVpc,
    message: 'give the VPC once: existingDatabase.vpc or existingVpc',
  },
  {
    fails: (p) => p.natGateways !== undefined && (p.natGateways < 0 || p.natGateways > 2),
    message: 'natGateways must be 0, 1 or 2',
  },
  {
    fails: (p) => !!p.chunkRetry && (p.chunkRetry.maxAttempts < 0 || p.chunkRetry.backoffRate < 1),
    message: 'chunkRetry.maxAttempts must be ≥ 0 and backoffRate ≥ 1',
  },
  {
    fails: (p) => missingEntries(p.bundling.projectRoot, p.handlers).length > 0,
    message: (p) =>
      `handler entries not found under ${p.bundling.projectRoot}: ${missingEntries(p.bundling.projectRoot, p.handlers).join(', ')}`,
  },
];
