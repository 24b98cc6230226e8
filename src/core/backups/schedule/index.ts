/** EventBridge schedule expressions: parse them, and compute when they fire in a time zone. */
export { parseSchedule, MAX_EXPRESSION_LENGTH } from './parse.ts';
export { nextFireTimes, type NextFireTimesOptions } from './next.ts';
export { cronMatches } from './calendar.ts';
export { assertTimeZone, wallClock } from './zone.ts';
export { INVALID_SCHEDULE, INVALID_TIME_ZONE, SCHEDULE_START_REQUIRED } from './errors.ts';
export type {
  AtSchedule,
  CronSchedule,
  DayOfMonthRule,
  DayOfWeekRule,
  LocalDateTime,
  RateSchedule,
  RateUnit,
  Schedule,
} from './types.ts';
