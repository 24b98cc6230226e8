/** Proleptic Gregorian calendar arithmetic on wall-clock fields (no time zone involved). */
import type { CronSchedule, LocalDateTime } from './types.ts';

export const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export const daysInMonth = (year: number, month: number) =>
  month === 2 && isLeapYear(year) ? 29 : (MONTH_DAYS[month - 1] ?? 31);

/** 1 = Sunday … 7 = Saturday, as AWS numbers the Day-of-week field. */
export const weekdayOf = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

/** The wall-clock fields read as if they were UTC: a total order and cheap minute arithmetic. */
export const toNaiveMs = (t: LocalDateTime) => Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second);

export function fromNaiveMs(ms: number): LocalDateTime {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

const isWeekend = (weekday: number) => weekday === 1 || weekday === 7;

/** The weekday (Mon-Fri) nearest `day`, never leaving the month (Quartz/EventBridge `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const last = daysInMonth(year, month);
  const target = Math.min(day, last);
  const weekday = weekdayOf(year, month, target);
  if (!isWeekend(weekday)) return target;
  if (weekday === 7) return target === 1 ? 3 : target - 1; // Saturday: Friday before, or Monday the 3rd
  return target === last ? target - 2 : target + 1; // Sunday: Monday after, or Friday before at month end
}

/** The days of `month` on which the schedule's day fields both hold, ascending. */
export function matchingDays(cron: CronSchedule, year: number, month: number): number[] {
  const last = daysInMonth(year, month);
  const dom = cron.dayOfMonth;
  const dow = cron.dayOfWeek;
  if (dom.kind === 'days') return dom.days.filter((d) => d <= last);
  if (dom.kind === 'last') return [last];
  if (dom.kind === 'lastWeekday') return [nearestWeekday(year, month, last)];
  if (dom.kind === 'nearestWeekday') return dom.day <= last ? [nearestWeekday(year, month, dom.day)] : [];
  // Day-of-month is `?`: the day-of-week rule decides.
  const firstWeekday = weekdayOf(year, month, 1);
  const dayOfFirst = (weekday: number) => 1 + ((weekday - firstWeekday + 7) % 7);
  if (dow.kind === 'nth') {
    const day = dayOfFirst(dow.weekday) + 7 * (dow.n - 1);
    return day <= last ? [day] : [];
  }
  if (dow.kind === 'last') {
    const first = dayOfFirst(dow.weekday);
    return [first + 7 * Math.floor((last - first) / 7)];
  }
  if (dow.kind === 'any') return []; // unreachable: the parser requires one of the two fields
  const days: number[] = [];
  for (let day = 1; day <= last; day++) if (dow.weekdays.includes(weekdayOf(year, month, day))) days.push(day);
  return days;
}

/** Whether a wall-clock minute satisfies every field (a direct check, independent of the search). */
export function cronMatches(cron: CronSchedule, t: LocalDateTime): boolean {
  return (
    cron.years.includes(t.year) &&
    cron.months.includes(t.month) &&
    matchingDays(cron, t.year, t.month).includes(t.day) &&
    cron.hours.includes(t.hour) &&
    cron.minutes.includes(t.minute)
  );
}
