import { describe, expect, it } from 'vitest';
import { nextFireTimes, parseSchedule } from './index.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace(':00.000Z', 'Z'));
const next = (expr: string, from: string, count: number, timeZone?: string) =>
  iso(nextFireTimes(expr, { from: new Date(from), count, timeZone }));

describe('nextFireTimes: cron in UTC', () => {
  it('returns times strictly after from, even when from is a fire time', () => {
    expect(next('cron(0 10 * * ? *)', '2026-11-27T10:00:00Z', 1)).toEqual(['2026-11-28T10:00Z']);
    expect(next('cron(0 10 * * ? *)', '2026-11-27T09:59:59.999Z', 1)).toEqual(['2026-11-27T10:00Z']);
    expect(next('cron(* * * * ? *)', '2026-11-27T10:00:30Z', 2)).toEqual(['2026-11-27T10:01Z', '2026-11-27T10:02Z']);
  });

  it('accepts a parsed schedule as well as an expression', () => {
    const schedule = parseSchedule('cron(0 8 1 * ? *)');
    expect(iso(nextFireTimes(schedule, { from: new Date('2026-01-15T00:00:00Z'), count: 1 }))).toEqual([
      '2026-02-01T08:00Z',
    ]);
  });

  it('returns nothing for count 0', () => {
    expect(next('cron(0 10 * * ? *)', '2026-01-01T00:00:00Z', 0)).toEqual([]);
  });

  it('wraps hour ranges over midnight and weekday ranges over the weekend', () => {
    // 2026-01-02 is a Friday.
    expect(next('cron(0 22-1 ? * FRI-MON *)', '2026-01-01T12:00:00Z', 6)).toEqual([
      '2026-01-02T00:00Z', // still Friday 00:00-01:00
      '2026-01-02T01:00Z',
      '2026-01-02T22:00Z',
      '2026-01-02T23:00Z',
      '2026-01-03T00:00Z',
      '2026-01-03T01:00Z',
    ]);
    expect(next('cron(0 12 ? * FRI-MON *)', '2026-01-05T13:00:00Z', 2)).toEqual([
      '2026-01-09T12:00Z',
      '2026-01-10T12:00Z',
    ]);
  });

  it('wraps month ranges over the new year', () => {
    expect(next('cron(0 0 1 NOV-FEB ? *)', '2026-02-02T00:00:00Z', 5)).toEqual([
      '2026-11-01T00:00Z',
      '2026-12-01T00:00Z',
      '2027-01-01T00:00Z',
      '2027-02-01T00:00Z',
      '2027-11-01T00:00Z',
    ]);
  });

  it('fires on the last day of each month with L', () => {
    expect(next('cron(0 9 L * ? *)', '2028-01-15T00:00:00Z', 3)).toEqual([
      '2028-01-31T09:00Z',
      '2028-02-29T09:00Z',
      '2028-03-31T09:00Z',
    ]);
  });

  it('fires on the weekday nearest the day with W, never leaving the month', () => {
    // 2026-08-15 is a Saturday, 2026-11-15 a Sunday.
    expect(next('cron(0 9 15W * ? *)', '2026-08-01T00:00:00Z', 4)).toEqual([
      '2026-08-14T09:00Z',
      '2026-09-15T09:00Z',
      '2026-10-15T09:00Z',
      '2026-11-16T09:00Z',
    ]);
    // 2026-08-01 is a Saturday: the nearest weekday inside August is Monday the 3rd.
    expect(next('cron(0 9 1W 8 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-08-03T09:00Z']);
    // 2026-05-31 is a Sunday: the nearest weekday inside May is Friday the 29th.
    expect(next('cron(0 9 31W 5 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-05-29T09:00Z']);
  });

  it('skips months too short for nW', () => {
    expect(next('cron(0 9 31W * ? 2026)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-30T09:00Z', // the 31st is a Saturday
      '2026-03-31T09:00Z',
      '2026-05-29T09:00Z',
    ]);
  });

  it('fires on the last weekday of the month with LW', () => {
    // 2026-01-31 is a Saturday, 2026-05-31 a Sunday.
    expect(next('cron(0 9 LW 1,3,5 ? 2026)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-30T09:00Z',
      '2026-03-31T09:00Z',
      '2026-05-29T09:00Z',
    ]);
  });

  it('fires on the last given weekday with nL (6L = last Friday, 1 = SUN)', () => {
    expect(next('cron(15 10 ? * 6L 2026)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2026-01-30T10:15Z',
      '2026-02-27T10:15Z',
      '2026-03-27T10:15Z',
    ]);
    expect(next('cron(0 0 ? * 5L 2026)', '2026-01-01T00:00:00Z', 1)).toEqual(['2026-01-29T00:00Z']); // Thursday
  });

  it('fires on the nth weekday with #, skipping months without a fifth one', () => {
    expect(next('cron(0 9 ? * 3#2 *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-13T09:00Z', '2026-02-10T09:00Z']);
    // Fifth Monday: 2026 has them in March, June, August and November.
    expect(next('cron(0 9 ? * MON#5 2026)', '2026-01-01T00:00:00Z', 5)).toEqual([
      '2026-03-30T09:00Z',
      '2026-06-29T09:00Z',
      '2026-08-31T09:00Z',
      '2026-11-30T09:00Z',
    ]);
  });

  it('fires on Saturdays with a lone L in Day-of-week', () => {
    expect(next('cron(0 0 ? * L *)', '2026-01-01T00:00:00Z', 2)).toEqual(['2026-01-03T00:00Z', '2026-01-10T00:00Z']);
  });

  it('fires on 29 February only in leap years, and not in 2100', () => {
    expect(next('cron(0 12 29 2 ? *)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2028-02-29T12:00Z',
      '2032-02-29T12:00Z',
      '2036-02-29T12:00Z',
    ]);
    expect(next('cron(0 0 29 2 ? 2096-2104)', '2026-01-01T00:00:00Z', 3)).toEqual([
      '2096-02-29T00:00Z',
      '2104-02-29T00:00Z',
    ]);
    expect(next('cron(0 0 29 FEB ? 2000)', '1999-01-01T00:00:00Z', 1)).toEqual(['2000-02-29T00:00Z']);
  });

  it('stops at the year limits', () => {
    expect(next('cron(59 23 31 12 ? *)', '2199-12-31T23:58:00Z', 3)).toEqual(['2199-12-31T23:59Z']);
    expect(next('cron(0 0 1 1 ? 2199)', '2199-06-01T00:00:00Z', 1)).toEqual([]);
    expect(next('cron(0 0 1 1 ? *)', '2300-01-01T00:00:00Z', 1)).toEqual([]);
    expect(next('cron(0 0 1 1 ? 1970)', '1900-01-01T00:00:00Z', 2)).toEqual(['1970-01-01T00:00Z']);
  });

  it('returns nothing, quickly, for a day that never comes', () => {
    const started = Date.now();
    expect(next('cron(0 0 30 2 ? *)', '2026-01-01T00:00:00Z', 1)).toEqual([]);
    expect(next('cron(0 0 31 APR,JUN,SEP,NOV ? *)', '2026-01-01T00:00:00Z', 1)).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('finds a time far in the future without walking minute by minute', () => {
    const started = Date.now();
    expect(next('cron(59 23 31 12 ? 2199)', '1970-01-01T00:00:00Z', 1)).toEqual(['2199-12-31T23:59Z']);
    expect(Date.now() - started).toBeLessThan(200);
  });

  it('keeps to the start and end dates', () => {
    const times = nextFireTimes('cron(0 10 * * ? *)', {
      from: new Date('2026-01-01T00:00:00Z'),
      count: 10,
      startDate: new Date('2026-01-03T10:00:00Z'),
      endDate: new Date('2026-01-06T10:00:00Z'),
    });
    expect(iso(times)).toEqual(['2026-01-03T10:00Z', '2026-01-04T10:00Z', '2026-01-05T10:00Z']);
  });
});

describe('nextFireTimes: rate()', () => {
  const startDate = new Date('2026-01-01T00:00:00Z');

  it('requires the start date it counts from', () => {
    expect(() => nextFireTimes('rate(5 minutes)', { from: new Date(), count: 1 })).toThrow(
      expect.objectContaining({ code: 'CAIRN_SCHEDULE_START_REQUIRED', kind: 'invalid' }),
    );
  });

  it('fires at the start date first, then every interval', () => {
    expect(
      iso(nextFireTimes('rate(5 minutes)', { from: new Date('2025-12-31T00:00:00Z'), count: 3, startDate })),
    ).toEqual(['2026-01-01T00:00Z', '2026-01-01T00:05Z', '2026-01-01T00:10Z']);
  });

  it('continues the grid strictly after from', () => {
    expect(
      iso(nextFireTimes('rate(5 minutes)', { from: new Date('2026-01-01T00:10:00Z'), count: 2, startDate })),
    ).toEqual(['2026-01-01T00:15Z', '2026-01-01T00:20Z']);
    expect(iso(nextFireTimes('rate(1 hour)', { from: new Date('2026-01-01T05:59:59Z'), count: 1, startDate }))).toEqual(
      ['2026-01-01T06:00Z'],
    );
  });

  it('counts days as 24 hours, whatever the time zone does', () => {
    const times = nextFireTimes('rate(1 day)', {
      from: new Date('2026-03-07T00:00:00Z'),
      count: 3,
      startDate: new Date('2026-03-01T07:00:00Z'),
      timeZone: 'America/New_York',
    });
    expect(iso(times)).toEqual(['2026-03-07T07:00Z', '2026-03-08T07:00Z', '2026-03-09T07:00Z']);
  });

  it('stops before the end date', () => {
    const times = nextFireTimes('rate(2 days)', {
      from: new Date('2026-01-01T00:00:00Z'),
      count: 10,
      startDate,
      endDate: new Date('2026-01-05T00:00:00Z'),
    });
    expect(iso(times)).toEqual(['2026-01-03T00:00Z']);
  });
});

describe('nextFireTimes: at()', () => {
  it('fires once, at the wall-clock time in the zone', () => {
    expect(next('at(2026-06-01T09:30:00)', '2026-01-01T00:00:00Z', 5, 'Europe/Berlin')).toEqual(['2026-06-01T07:30Z']);
    expect(next('at(2026-06-01T09:30:00)', '2026-01-01T00:00:00Z', 5)).toEqual(['2026-06-01T09:30Z']);
  });

  it('has nothing left to fire once its time has passed', () => {
    expect(next('at(2026-06-01T09:30:00)', '2026-06-01T09:30:00Z', 1)).toEqual([]);
    expect(next('at(2026-06-01T09:30:00)', '2026-01-01T00:00:00Z', 0)).toEqual([]);
  });
});

describe('nextFireTimes: bad queries', () => {
  it('rejects an unknown time zone', () => {
    expect(() => nextFireTimes('cron(0 10 * * ? *)', { from: new Date(), count: 1, timeZone: 'Mars/Olympus' })).toThrow(
      expect.objectContaining({ code: 'CAIRN_INVALID_TIME_ZONE' }),
    );
  });

  it('rejects an invalid from date and a negative or fractional count', () => {
    const query = (from: Date, count: number) => () => nextFireTimes('cron(0 10 * * ? *)', { from, count });
    expect(query(new Date('nope'), 1)).toThrow(expect.objectContaining({ code: 'CAIRN_INVALID_SCHEDULE_QUERY' }));
    expect(query(new Date(), -1)).toThrow(expect.objectContaining({ code: 'CAIRN_INVALID_SCHEDULE_QUERY' }));
    expect(query(new Date(), 1.5)).toThrow(expect.objectContaining({ code: 'CAIRN_INVALID_SCHEDULE_QUERY' }));
  });

  it('parses a string schedule first, so a bad expression fails as an invalid schedule', () => {
    expect(() => nextFireTimes('cron(0 10 * * ?)', { from: new Date(), count: 1 })).toThrow(
      expect.objectContaining({ code: 'CAIRN_INVALID_SCHEDULE' }),
    );
  });
});
