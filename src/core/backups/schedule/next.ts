/**
 * When a schedule fires next, evaluated as EventBridge Scheduler does:
 * - cron() is read in the schedule's IANA time zone (default UTC). A wall-clock time that does not
 *   exist (the spring-forward gap) is skipped; a time that happens twice (the fall-back fold) runs
 *   once, at its first occurrence ("When the time shifts forward in Spring, your schedule invocation
 *   gets skipped if the cron expression falls on a non-existent date and time. When the time shifts
 *   back in the Fall, your schedule runs only once").
 * - rate() counts fixed durations (a day is 24 hours) from the schedule's start date.
 * - at() fires once, at the wall-clock time in the zone.
 * The search skips by year, month, day and hour; it never walks minute by minute over long spans.
 */
import { invalid } from '../../errors.ts';
import { fromNaiveMs, matchingDays, toNaiveMs } from './calendar.ts';
import { SCHEDULE_START_REQUIRED } from './errors.ts';
import { MAX_YEAR, MIN_YEAR } from './fields.ts';
import { parseSchedule } from './parse.ts';
import type { CronSchedule, LocalDateTime, RateSchedule, Schedule } from './types.ts';
import { assertTimeZone, instantsOf, resolveLocal, wallClock } from './zone.ts';

export interface NextFireTimesOptions {
  /** Only fire times strictly after this instant are returned. */
  from: Date;
  /** How many fire times to return at most (fewer when the schedule ends). */
  count: number;
  /** IANA zone in which cron() and at() are read. Default 'UTC'. */
  timeZone?: string;
  /** The schedule's StartDate: rate() counts from it (required for rate), nothing fires before it. */
  startDate?: Date;
  /** The schedule's EndDate: nothing fires at or after it. */
  endDate?: Date;
}

const MINUTE_MS = 60_000;
/** One day of slack either side of the year range, so any zone's wall clock stays in range. */
const SEARCH_FLOOR_MS = Date.UTC(MIN_YEAR, 0, 1) - 86_400_000;
const SEARCH_CEILING_MS = Date.UTC(MAX_YEAR + 1, 0, 1) + 86_400_000;

const badQuery = (message: string) => invalid('CAIRN_INVALID_SCHEDULE_QUERY', message);

function timeOf(date: Date | undefined, name: string): number | undefined {
  if (date === undefined) return undefined;
  const ms = date instanceof Date ? date.getTime() : NaN;
  if (!Number.isFinite(ms)) throw badQuery(`${name} must be a valid Date`);
  return ms;
}

export function nextFireTimes(schedule: Schedule | string, options: NextFireTimesOptions): Date[] {
  const parsed = typeof schedule === 'string' ? parseSchedule(schedule) : schedule;
  const from = timeOf(options.from, 'from') ?? NaN;
  const { count } = options;
  if (!Number.isInteger(count) || count < 0) throw badQuery('count must be a whole number >= 0');
  const timeZone = options.timeZone ?? 'UTC';
  assertTimeZone(timeZone);
  const start = timeOf(options.startDate, 'startDate');
  const end = timeOf(options.endDate, 'endDate') ?? Infinity;
  // Fire times are whole instants >= lowest and < end.
  const lowest = Math.max(Math.floor(from) + 1, start ?? -Infinity);
  if (parsed.kind === 'rate') return rateTimes(parsed, start, lowest, end, count);
  if (count === 0) return [];
  if (parsed.kind === 'at') {
    const at = resolveLocal(parsed.at, timeZone);
    return at >= lowest && at < end ? [new Date(at)] : [];
  }
  return cronTimes(parsed, timeZone, lowest, end, count);
}

function rateTimes(rate: RateSchedule, start: number | undefined, lowest: number, end: number, count: number): Date[] {
  if (start === undefined) {
    throw invalid(
      SCHEDULE_START_REQUIRED,
      `${rate.expression} fires every ${rate.value} ${rate.unit}(s) counted from the schedule's start date; pass startDate`,
    );
  }
  const times: Date[] = [];
  const k = Math.max(0, Math.ceil((lowest - start) / rate.intervalMs));
  for (let t = start + k * rate.intervalMs; times.length < count && t < end; t += rate.intervalMs)
    times.push(new Date(t));
  return times;
}

function cronTimes(cron: CronSchedule, timeZone: string, lowest: number, end: number, count: number): Date[] {
  const times: Date[] = [];
  if (lowest >= SEARCH_CEILING_MS) return times;
  // Start at the wall-clock minute containing `lowest`. Taking each wall time's first occurrence is
  // monotonic, so no later wall time can map to an instant before `lowest`, and a match earlier in
  // a fold than `from` is filtered out below (it has already run).
  const origin = wallClock(Math.max(lowest, SEARCH_FLOOR_MS), timeZone);
  let cursor: LocalDateTime | null = { ...origin, second: 0 };
  while (times.length < count && cursor) {
    const match = nextMatch(cron, cursor);
    if (!match) break;
    const [instant] = instantsOf(match, timeZone); // undefined in a spring-forward gap: skipped
    if (instant !== undefined && instant >= end) break;
    if (instant !== undefined && instant >= lowest) times.push(new Date(instant));
    cursor = fromNaiveMs(toNaiveMs(match) + MINUTE_MS);
  }
  return times;
}

/** Smallest element of an ascending list that is >= value. */
function ceil(values: readonly number[], value: number): number | undefined {
  for (const v of values) if (v >= value) return v;
  return undefined;
}

/** The first wall-clock minute at or after `t` that the expression matches, or null past 2199. */
export function nextMatch(cron: CronSchedule, t: LocalDateTime): LocalDateTime | null {
  let { year, month, day, hour, minute } = t;
  const nextMonth = () => {
    month += 1;
    day = 1;
    hour = 0;
    minute = 0;
    if (month > 12) {
      year += 1;
      month = 1;
    }
  };
  while (year <= MAX_YEAR) {
    const y = ceil(cron.years, year);
    if (y === undefined) return null;
    if (y !== year) [year, month, day, hour, minute] = [y, 1, 1, 0, 0];
    const m = ceil(cron.months, month);
    if (m === undefined) {
      [year, month, day, hour, minute] = [year + 1, 1, 1, 0, 0];
      continue;
    }
    if (m !== month) [month, day, hour, minute] = [m, 1, 0, 0];
    const d = ceil(matchingDays(cron, year, month), day);
    if (d === undefined) {
      nextMonth();
      continue;
    }
    if (d !== day) [day, hour, minute] = [d, 0, 0];
    const h = ceil(cron.hours, hour);
    if (h === undefined) {
      [day, hour, minute] = [day + 1, 0, 0]; // may pass the month's end: the day lookup then moves on
      continue;
    }
    if (h !== hour) [hour, minute] = [h, 0];
    const mi = ceil(cron.minutes, minute);
    if (mi === undefined) {
      [hour, minute] = [hour + 1, 0];
      continue;
    }
    return { year, month, day, hour, minute: mi, second: 0 };
  }
  return null;
}
