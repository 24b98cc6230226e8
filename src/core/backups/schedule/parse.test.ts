import { describe, expect, it } from 'vitest';
import { CairnError } from '../../errors.ts';
import { parseSchedule, type CronSchedule } from './index.ts';

const cron = (expr: string) => parseSchedule(expr) as CronSchedule;
const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

function rejection(expr: string): CairnError {
  try {
    parseSchedule(expr);
  } catch (e) {
    if (e instanceof CairnError) return e;
    throw e;
  }
  throw new Error(`${expr} was accepted`);
}

describe('parseSchedule: cron fields', () => {
  it('reads lists, ranges, stars and increments', () => {
    const c = cron('cron(5,10-12 */6 1/10 * ? 2026/2)');
    expect(c.minutes).toEqual([5, 10, 11, 12]);
    expect(c.hours).toEqual([0, 6, 12, 18]);
    expect(c.dayOfMonth).toEqual({ kind: 'days', days: [1, 11, 21, 31] });
    expect(c.months).toEqual(range(1, 12));
    expect(c.dayOfWeek).toEqual({ kind: 'any' });
    expect(c.years[0]).toBe(2026);
    expect(c.years[1]).toBe(2028);
    expect(c.years.at(-1)).toBe(2198);
  });

  it('accepts 0/15, */5 and a range with an increment, as EventBridge does', () => {
    expect(cron('cron(0/15 * * * ? *)').minutes).toEqual([0, 15, 30, 45]);
    expect(cron('cron(*/5 * * * ? *)').minutes).toEqual(range(0, 11).map((i) => i * 5));
    expect(cron('cron(0-15/1 8-8 ? * 2,3,4,5,6,7 *)').minutes).toEqual(range(0, 15));
    expect(cron('cron(1-31/30 1-1 ? * 1,7 *)').minutes).toEqual([1, 31]);
  });

  it('wraps ranges that run past the end of a cyclic field', () => {
    expect(cron('cron(0 20-2 * * ? *)').hours).toEqual([0, 1, 2, 20, 21, 22, 23]);
    expect(cron('cron(0 0 ? * FRI-MON *)').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: [1, 2, 6, 7] });
    expect(cron('cron(0 0 1 NOV-FEB ? *)').months).toEqual([1, 2, 11, 12]);
    expect(cron('cron(50-10/10 * * * ? *)').minutes).toEqual([0, 10, 50]);
    expect(cron('cron(0 0 30-2 * ? *)').dayOfMonth).toEqual({ kind: 'days', days: [1, 2, 30, 31] });
  });

  it('reads month and day names in any case, numbering days 1 = SUN as AWS does', () => {
    expect(cron('cron(0 0 ? jan,Mar,DEC sun,SAT *)').months).toEqual([1, 3, 12]);
    expect(cron('cron(0 0 ? * SUN,SAT *)').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: [1, 7] });
    expect(cron('cron(0 0 ? * MON-FRI *)').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: [2, 3, 4, 5, 6] });
  });

  it('reads L, LW, nW, nL and n#k', () => {
    expect(cron('cron(0 0 L * ? *)').dayOfMonth).toEqual({ kind: 'last' });
    expect(cron('cron(0 0 LW * ? *)').dayOfMonth).toEqual({ kind: 'lastWeekday' });
    expect(cron('cron(0 0 15W * ? *)').dayOfMonth).toEqual({ kind: 'nearestWeekday', day: 15 });
    expect(cron('cron(0 0 ? * 6L *)').dayOfWeek).toEqual({ kind: 'last', weekday: 6 });
    expect(cron('cron(0 0 ? * FRIL *)').dayOfWeek).toEqual({ kind: 'last', weekday: 6 });
    expect(cron('cron(0 0 ? * L *)').dayOfWeek).toEqual({ kind: 'weekdays', weekdays: [7] });
    expect(cron('cron(0 0 ? * 3#2 *)').dayOfWeek).toEqual({ kind: 'nth', weekday: 3, n: 2 });
    expect(cron('cron(0 0 ? * TUE#5 *)').dayOfWeek).toEqual({ kind: 'nth', weekday: 3, n: 5 });
  });

  it('accepts the year limits 1970 and 2199 and extra white space', () => {
    expect(cron('cron(0 0 1 1 ? 1970)').years).toEqual([1970]);
    expect(cron('  cron( 0   0 1 1 ?  2199 ) ').years).toEqual([2199]);
  });
});

describe('parseSchedule: rejected cron expressions name the field and the reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['cron(0 10 * 13 ? *)', /^cron field 4 \(Month\): 13 is out of range 1-12$/],
    ['cron(60 10 * * ? *)', /field 1 \(Minutes\): 60 is out of range 0-59/],
    ['cron(0 24 * * ? *)', /field 2 \(Hours\): 24 is out of range 0-23/],
    ['cron(0 0 0 * ? *)', /field 3 \(Day-of-month\): 0 is out of range 1-31/],
    ['cron(0 0 32 * ? *)', /field 3 \(Day-of-month\): 32 is out of range/],
    ['cron(0 0 ? * 8 *)', /field 5 \(Day-of-week\): 8 is out of range 1-7/],
    ['cron(0 0 ? * 0 *)', /field 5 \(Day-of-week\): 0 is out of range 1-7/],
    ['cron(0 0 1 1 ? 1969)', /field 6 \(Year\): 1969 is out of range 1970-2199/],
    ['cron(0 0 1 1 ? 2200)', /field 6 \(Year\): 2200 is out of range 1970-2199/],
    ['cron(0 0 1 1 ? 2030-2020)', /field 6 \(Year\): range 2030-2020 is reversed/],
    ['cron(0 10 * * * *)', /can't both be specified; use '\?' in one of them/],
    ['cron(0 10 1 * MON *)', /can't both be specified/],
    ['cron(0 10 ? * ? *)', /can't both be '\?'/],
    ['cron(0 10 * * ?)', /6 fields .* got 5/],
    ['cron(0 10 * * ? * *)', /6 fields .* got 7/],
    ['cron()', /got 0/],
    ['cron(*/60 * * * ? *)', /field 1 \(Minutes\): increment '60' must be between 1 and 59/],
    ['cron(0/0 * * * ? *)', /increment '0' must be between 1 and 59/],
    ['cron(0 */24 * * ? *)', /field 2 \(Hours\): increment '24'/],
    ['cron(0 0 ? * MON/2 *)', /field 5 \(Day-of-week\): increments \(\/\) are not allowed/],
    ['cron(0 0 ? * 3#1,6#3 *)', /only one expression is allowed with '#'/],
    ['cron(0 0 ? * 3#6 *)', /instance after '#' must be 1-5/],
    ['cron(0 0 ? * 3#0 *)', /instance after '#' must be 1-5/],
    ['cron(0 0 1,L * ? *)', /L, LW and nW must be used alone/],
    ['cron(0 0 1W-5 * ? *)', /L, LW and nW must be used alone/],
    ['cron(0 0 32W * ? *)', /32 is out of range 1-31/],
    ['cron(0 0 ? * 2L,3 *)', /L and nL must be used alone/],
    ['cron(L 0 * * ? *)', /field 1 \(Minutes\): 'L' uses a wildcard/],
    ['cron(0 ? * * ? *)', /field 2 \(Hours\): '\?' is only allowed/],
    ['cron(0 0 * FOO ? *)', /field 4 \(Month\): 'FOO' is not a number 1-12 or a name JAN-DEC/],
    ['cron(0 0 * 1,,2 ? *)', /a list item is empty/],
    ['cron(0 0 * 1-2-3 ? *)', /not a valid range/],
    ['cron(0 0 * 1/2/3 ? *)', /more than one '\/'/],
    ['cron(-1 0 * * ? *)', /field 1 \(Minutes\)/],
  ];
  for (const [expr, message] of cases) {
    it(`rejects ${expr}`, () => {
      const e = rejection(expr);
      expect(e.code).toBe('CAIRN_INVALID_SCHEDULE');
      expect(e.kind).toBe('invalid');
      expect(e.message).toMatch(message);
    });
  }
});

describe('parseSchedule: rate()', () => {
  it('reads singular units for 1 and plural units above', () => {
    expect(parseSchedule('rate(1 minute)')).toMatchObject({
      kind: 'rate',
      value: 1,
      unit: 'minute',
      intervalMs: 60_000,
    });
    expect(parseSchedule('rate(5 minutes)')).toMatchObject({ value: 5, unit: 'minute', intervalMs: 300_000 });
    expect(parseSchedule('rate(1 hour)')).toMatchObject({ unit: 'hour', intervalMs: 3_600_000 });
    expect(parseSchedule('rate(2 days)')).toMatchObject({ unit: 'day', intervalMs: 172_800_000 });
  });

  const bad: Array<[string, RegExp]> = [
    ['rate(1 hours)', /singular unit 'hour'/],
    ['rate(5 hour)', /plural unit 'hours'/],
    ['rate(1 minutes)', /singular unit 'minute'/],
    ['rate(0 minutes)', /positive whole number/],
    ['rate(-5 minutes)', /positive whole number/],
    ['rate(1.5 hours)', /positive whole number/],
    ['rate(5 weeks)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(5 Minutes)', /minute\(s\), hour\(s\) or day\(s\)/],
    ['rate(5)', /rate\(value unit\)/],
    ['rate(5 minutes now)', /rate\(value unit\)/],
  ];
  for (const [expr, message] of bad) {
    it(`rejects ${expr}`, () => expect(rejection(expr).message).toMatch(message));
  }
});

describe('parseSchedule: at()', () => {
  it('reads a one-time wall-clock time', () => {
    expect(parseSchedule('at(2026-03-08T02:30:00)')).toMatchObject({
      kind: 'at',
      at: { year: 2026, month: 3, day: 8, hour: 2, minute: 30, second: 0 },
    });
    expect(parseSchedule('at(2028-02-29T23:59:59)').kind).toBe('at');
  });

  const bad: Array<[string, RegExp]> = [
    ['at(2026-02-29T00:00:00)', /day 29 of 2026-02 does not exist/],
    ['at(2026-13-01T00:00:00)', /month 13/],
    ['at(2026-01-01T24:00:00)', /hour 24/],
    ['at(2026-01-01T00:60:00)', /minute 60/],
    ['at(2026-01-01 00:00:00)', /at\(yyyy-mm-ddThh:mm:ss\)/],
    ['at(2026-01-01T00:00:00Z)', /at\(yyyy-mm-ddThh:mm:ss\)/],
  ];
  for (const [expr, message] of bad) {
    it(`rejects ${expr}`, () => expect(rejection(expr).message).toMatch(message));
  }
});

describe('parseSchedule: anything else', () => {
  it('rejects unknown kinds, upper-case kinds and over-long expressions', () => {
    expect(rejection('every(5 minutes)').message).toMatch(/not cron\(\.\.\.\), rate\(\.\.\.\) or at\(\.\.\.\)/);
    expect(rejection('CRON(0 10 * * ? *)').code).toBe('CAIRN_INVALID_SCHEDULE');
    expect(rejection('').code).toBe('CAIRN_INVALID_SCHEDULE');
    expect(rejection(`cron(0 10 * * ? ${'1'.repeat(300)})`).message).toMatch(/at most 256 characters/);
  });

  it('rejects a value that is not a string', () => {
    expect(rejection(42 as unknown as string).message).toMatch(/must be a string/);
  });
});
