/**
 * Parses EventBridge (Scheduler) schedule expressions: `cron(Minutes Hours Day-of-month Month
 * Day-of-week Year)`, `rate(value unit)` and `at(yyyy-mm-ddThh:mm:ss)`. Grammar as in
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-scheduled-rule-pattern.html and
 * https://docs.aws.amazon.com/scheduler/latest/UserGuide/schedule-types.html.
 */
import { daysInMonth } from './calendar.ts';
import { invalidSchedule } from './errors.ts';
import {
  DAY_OF_MONTH,
  DAY_OF_WEEK,
  HOURS,
  MINUTES,
  MONTH,
  YEAR,
  fieldError,
  parseDayOfMonth,
  parseDayOfWeek,
  parseValues,
} from './fields.ts';
import type { AtSchedule, CronSchedule, RateSchedule, RateUnit, Schedule } from './types.ts';

/** The Scheduler API caps ScheduleExpression at 256 characters. */
export const MAX_EXPRESSION_LENGTH = 256;

const UNIT_MS: Record<RateUnit, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export function parseSchedule(expression: string): Schedule {
  if (typeof expression !== 'string') throw invalidSchedule('a schedule expression must be a string');
  const expr = expression.trim();
  if (expr.length > MAX_EXPRESSION_LENGTH) {
    throw invalidSchedule(`a schedule expression must be at most ${MAX_EXPRESSION_LENGTH} characters`);
  }
  const call = /^(cron|rate|at)\((.*)\)$/s.exec(expr);
  if (!call) throw invalidSchedule(`'${expr}' is not cron(...), rate(...) or at(...)`, { expression: expr });
  const body = call[2] ?? '';
  if (call[1] === 'cron') return parseCron(expr, body);
  if (call[1] === 'rate') return parseRate(expr, body);
  return parseAt(expr, body);
}

function parseCron(expression: string, body: string): CronSchedule {
  const parts = body.trim() === '' ? [] : body.trim().split(/\s+/);
  if (parts.length !== 6) {
    throw invalidSchedule(
      `cron expressions have 6 fields (Minutes Hours Day-of-month Month Day-of-week Year), got ${parts.length}`,
      { expression },
    );
  }
  const [minutes = '', hours = '', dom = '', month = '', dow = '', year = ''] = parts;
  // Parse left to right so the first bad field is the one reported.
  const schedule: CronSchedule = {
    kind: 'cron',
    expression,
    minutes: parseValues(minutes, MINUTES),
    hours: parseValues(hours, HOURS),
    dayOfMonth: parseDayOfMonth(dom),
    months: parseValues(month, MONTH),
    dayOfWeek: parseDayOfWeek(dow),
    years: parseValues(year, YEAR),
  };
  const domAny = schedule.dayOfMonth.kind === 'any';
  const dowAny = schedule.dayOfWeek.kind === 'any';
  if (domAny === dowAny) {
    throw fieldError(
      domAny ? DAY_OF_WEEK : DAY_OF_MONTH,
      domAny
        ? `Day-of-month and Day-of-week can't both be '?'; give a value in one of them`
        : `Day-of-month and Day-of-week can't both be specified; use '?' in one of them`,
    );
  }
  return schedule;
}

function parseRate(expression: string, body: string): RateSchedule {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 2)
    throw invalidSchedule(`rate expressions are rate(value unit), got '${expression}'`, { expression });
  const [valueToken = '', unitToken = ''] = parts;
  if (!/^\d+$/.test(valueToken) || Number(valueToken) < 1 || !Number.isSafeInteger(Number(valueToken))) {
    throw invalidSchedule(`rate value '${valueToken}' must be a positive whole number`, { expression });
  }
  const value = Number(valueToken);
  const unit = /^(minute|hour|day)(s?)$/.exec(unitToken);
  if (!unit) throw invalidSchedule(`rate unit '${unitToken}' must be minute(s), hour(s) or day(s)`, { expression });
  const singular = unit[1] as RateUnit;
  const plural = unit[2] === 's';
  if (value === 1 && plural)
    throw invalidSchedule(`rate(1 ...) takes the singular unit '${singular}', not '${unitToken}'`);
  if (value > 1 && !plural)
    throw invalidSchedule(`rate(${value} ...) takes the plural unit '${singular}s', not '${unitToken}'`);
  return { kind: 'rate', expression, value, unit: singular, intervalMs: value * UNIT_MS[singular] };
}

function parseAt(expression: string, body: string): AtSchedule {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})$/.exec(body);
  if (!m) throw invalidSchedule(`at expressions are at(yyyy-mm-ddThh:mm:ss), got '${expression}'`, { expression });
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const bad =
    month < 1 || month > 12
      ? `month ${month}`
      : day < 1 || day > daysInMonth(year, month)
        ? `day ${day} of ${year}-${String(month).padStart(2, '0')}`
        : hour > 23
          ? `hour ${hour}`
          : minute > 59
            ? `minute ${minute}`
            : second > 59
              ? `second ${second}`
              : undefined;
  if (bad !== undefined) throw invalidSchedule(`at(${body}): ${bad} does not exist`, { expression });
  return { kind: 'at', expression, at: { year, month, day, hour, minute, second } };
}
