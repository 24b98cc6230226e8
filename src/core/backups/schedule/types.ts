/** A wall-clock date and time with no zone attached (minute precision, seconds kept for at()). */
export interface LocalDateTime {
  readonly year: number;
  /** 1-12 */
  readonly month: number;
  /** 1-31 */
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export type DayOfMonthRule =
  | { readonly kind: 'any' } // `?`
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last' } // `L`
  | { readonly kind: 'lastWeekday' } // `LW`
  | { readonly kind: 'nearestWeekday'; readonly day: number }; // `15W`

/** Weekdays are numbered as AWS does: 1 = SUN … 7 = SAT. */
export type DayOfWeekRule =
  | { readonly kind: 'any' } // `?`
  | { readonly kind: 'weekdays'; readonly weekdays: readonly number[] }
  | { readonly kind: 'last'; readonly weekday: number } // `6L`: the last Friday
  | { readonly kind: 'nth'; readonly weekday: number; readonly n: number }; // `3#2`: the second Tuesday

export interface CronSchedule {
  readonly kind: 'cron';
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly dayOfMonth: DayOfMonthRule;
  readonly months: readonly number[];
  readonly dayOfWeek: DayOfWeekRule;
  readonly years: readonly number[];
}

export type RateUnit = 'minute' | 'hour' | 'day';

export interface RateSchedule {
  readonly kind: 'rate';
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  /** value × unit in milliseconds; a day is always 24 hours, as EventBridge Scheduler counts it. */
  readonly intervalMs: number;
}

export interface AtSchedule {
  readonly kind: 'at';
  readonly expression: string;
  /** Wall-clock time, read in the schedule's time zone. */
  readonly at: LocalDateTime;
}

export type Schedule = CronSchedule | RateSchedule | AtSchedule;
