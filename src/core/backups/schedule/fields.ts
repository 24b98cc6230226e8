/**
 * The six fields of an EventBridge cron expression and the grammar of one field:
 * lists (`,`), ranges (`-`, wrapping around for cyclic fields: `20-2`, `FRI-MON`, `NOV-FEB`),
 * `*`, increments (`0/15`, `*\/5`, `10-40/10`) and, in the day fields, `? L W #`.
 */
import { invalidSchedule } from './errors.ts';
import type { DayOfMonthRule, DayOfWeekRule } from './types.ts';

export interface FieldSpec {
  /** 1-based position in the expression, as error messages name it. */
  readonly position: number;
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Largest increment accepted after `/` (EventBridge rejects e.g. `*\/60` in Minutes). */
  readonly maxStep: number;
  /** Ranges may wrap past the maximum back to the minimum (not the year). */
  readonly cyclic: boolean;
  readonly allowsStep: boolean;
  /** Three-letter names, the first worth 1 (JAN = 1, SUN = 1). */
  readonly names?: readonly string[];
}

const MONTH_NAMES = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export const MIN_YEAR = 1970;
export const MAX_YEAR = 2199;

export const MINUTES: FieldSpec = {
  position: 1,
  name: 'Minutes',
  min: 0,
  max: 59,
  maxStep: 59,
  cyclic: true,
  allowsStep: true,
};
export const HOURS: FieldSpec = {
  position: 2,
  name: 'Hours',
  min: 0,
  max: 23,
  maxStep: 23,
  cyclic: true,
  allowsStep: true,
};
export const DAY_OF_MONTH: FieldSpec = {
  position: 3,
  name: 'Day-of-month',
  min: 1,
  max: 31,
  maxStep: 31,
  cyclic: true,
  allowsStep: true,
};
export const MONTH: FieldSpec = {
  position: 4,
  name: 'Month',
  min: 1,
  max: 12,
  maxStep: 12,
  cyclic: true,
  allowsStep: true,
  names: MONTH_NAMES,
};
export const DAY_OF_WEEK: FieldSpec = {
  position: 5,
  name: 'Day-of-week',
  min: 1,
  max: 7,
  maxStep: 7,
  cyclic: true,
  allowsStep: false,
  names: DAY_NAMES,
};
export const YEAR: FieldSpec = {
  position: 6,
  name: 'Year',
  min: MIN_YEAR,
  max: MAX_YEAR,
  maxStep: MAX_YEAR - MIN_YEAR,
  cyclic: false,
  allowsStep: true,
};

export const fieldError = (spec: FieldSpec, reason: string) =>
  invalidSchedule(`cron field ${spec.position} (${spec.name}): ${reason}`, { field: spec.name, reason });

const DIGITS = /^\d+$/;

function parseValue(token: string, spec: FieldSpec): number {
  if (DIGITS.test(token)) {
    const value = Number(token);
    if (value < spec.min || value > spec.max)
      throw fieldError(spec, `${token} is out of range ${spec.min}-${spec.max}`);
    return value;
  }
  const named = spec.names?.indexOf(token.toUpperCase()) ?? -1;
  if (named >= 0) return named + 1;
  if (/[?LW#]/.test(token)) {
    const where = token.includes('#') ? 'Day-of-week' : 'Day-of-month and Day-of-week';
    throw fieldError(spec, `'${token}' uses a wildcard that is only allowed (alone) in ${where}`);
  }
  const expected = spec.names
    ? `a number ${spec.min}-${spec.max} or a name ${spec.names[0]}-${spec.names.at(-1)}`
    : 'a number';
  throw fieldError(spec, `'${token}' is not ${expected}`);
}

function parseStep(token: string, spec: FieldSpec): number {
  if (!spec.allowsStep) throw fieldError(spec, `increments (/) are not allowed in ${spec.name}`);
  const step = DIGITS.test(token) ? Number(token) : NaN;
  if (!(step >= 1 && step <= spec.maxStep))
    throw fieldError(spec, `increment '${token}' must be between 1 and ${spec.maxStep}`);
  return step;
}

/** Walks from `start` to `end` (wrapping for cyclic fields) taking every `step`-th value. */
function enumerate(spec: FieldSpec, start: number, end: number, step: number, into: Set<number>): void {
  const span = spec.max - spec.min + 1;
  if (end < start && !spec.cyclic) throw fieldError(spec, `range ${start}-${end} is reversed`);
  const length = ((end - start + span) % span) + 1;
  for (let i = 0; i < length; i += step) into.add(spec.min + ((start - spec.min + i) % span));
}

function parseItem(item: string, spec: FieldSpec, into: Set<number>): void {
  if (item === '') throw fieldError(spec, 'a list item is empty');
  const slash = item.split('/');
  if (slash.length > 2) throw fieldError(spec, `'${item}' has more than one '/'`);
  const [base = '', stepToken] = slash;
  const step = stepToken === undefined ? 1 : parseStep(stepToken, spec);
  if (base === '*') return enumerate(spec, spec.min, spec.max, step, into);
  const dash = base.split('-');
  if (dash.length > 2) throw fieldError(spec, `'${base}' is not a valid range`);
  const start = parseValue(dash[0] ?? '', spec);
  if (dash.length === 1) return enumerate(spec, start, stepToken === undefined ? start : spec.max, step, into);
  enumerate(spec, start, parseValue(dash[1] ?? '', spec), step, into);
}

/** Parses a list field (Minutes, Hours, Month, Year, or a plain day field) into sorted values. */
export function parseValues(raw: string, spec: FieldSpec): number[] {
  if (raw === '?') throw fieldError(spec, `'?' is only allowed in Day-of-month and Day-of-week`);
  const values = new Set<number>();
  for (const item of raw.split(',')) parseItem(item, spec, values);
  return [...values].sort((a, b) => a - b);
}

export function parseDayOfMonth(raw: string): DayOfMonthRule {
  const upper = raw.toUpperCase();
  if (raw === '?') return { kind: 'any' };
  if (upper === 'L') return { kind: 'last' };
  if (upper === 'LW') return { kind: 'lastWeekday' };
  const nearest = /^(\d+)W$/i.exec(raw);
  if (nearest) return { kind: 'nearestWeekday', day: parseValue(nearest[1] ?? '', DAY_OF_MONTH) };
  if (/[LW]/i.test(raw)) throw fieldError(DAY_OF_MONTH, `'${raw}': L, LW and nW must be used alone`);
  return { kind: 'days', days: parseValues(raw, DAY_OF_MONTH) };
}

export function parseDayOfWeek(raw: string): DayOfWeekRule {
  if (raw === '?') return { kind: 'any' };
  if (raw.toUpperCase() === 'L') return { kind: 'weekdays', weekdays: [7] };
  if (raw.includes('/')) throw fieldError(DAY_OF_WEEK, 'increments (/) are not allowed in Day-of-week');
  const nth = /^([^#,]+)#([^#,]*)$/.exec(raw);
  if (nth) {
    const weekday = parseValue(nth[1] ?? '', DAY_OF_WEEK);
    const n = nth[2] ?? '';
    if (!/^[1-5]$/.test(n)) throw fieldError(DAY_OF_WEEK, `'${raw}': the instance after '#' must be 1-5`);
    return { kind: 'nth', weekday, n: Number(n) };
  }
  if (raw.includes('#')) throw fieldError(DAY_OF_WEEK, `'${raw}': only one expression is allowed with '#'`);
  const last = /^([^,]+)L$/i.exec(raw);
  if (last && !/L/i.test(last[1] ?? '')) return { kind: 'last', weekday: parseValue(last[1] ?? '', DAY_OF_WEEK) };
  // No day name contains an L, so any L left here is misplaced.
  if (/L/i.test(raw)) throw fieldError(DAY_OF_WEEK, `'${raw}': L and nL must be used alone`);
  return { kind: 'weekdays', weekdays: parseValues(raw, DAY_OF_WEEK) };
}
