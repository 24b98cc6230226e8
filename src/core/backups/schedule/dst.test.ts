/**
 * EventBridge Scheduler and daylight saving time: a wall-clock time that does not exist (spring
 * forward) is skipped; a time that happens twice (fall back) runs only once, at its first occurrence.
 */
import { describe, expect, it } from 'vitest';
import { nextFireTimes } from './index.ts';

const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace(':00.000Z', 'Z'));
const next = (expr: string, from: string, count: number, timeZone: string) =>
  iso(nextFireTimes(expr, { from: new Date(from), count, timeZone }));

describe('America/New_York (2026: spring forward 8 March 02:00, fall back 1 November 02:00)', () => {
  it('skips 02:30 on the night it does not exist', () => {
    expect(next('cron(30 2 * * ? *)', '2026-03-07T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-07T07:30Z', // 02:30 EST
      '2026-03-09T06:30Z', // 02:30 EDT; 8 March has no 02:30
      '2026-03-10T06:30Z',
    ]);
  });

  it('runs every-30-minutes straight through the gap without inventing times', () => {
    expect(next('cron(0/30 * * * ? *)', '2026-03-08T06:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-03-08T06:30Z', // 01:30 EST
      '2026-03-08T07:00Z', // 03:00 EDT
      '2026-03-08T07:30Z', // 03:30 EDT
    ]);
  });

  it('runs 01:30 once on the night it happens twice', () => {
    expect(next('cron(30 1 * * ? *)', '2026-10-31T00:00:00Z', 3, 'America/New_York')).toEqual([
      '2026-10-31T05:30Z', // 01:30 EDT
      '2026-11-01T05:30Z', // the first 01:30 (EDT) only
      '2026-11-02T06:30Z', // 01:30 EST
    ]);
  });

  it('does not repeat the folded hour for sub-hourly schedules', () => {
    expect(next('cron(0/30 * * * ? *)', '2026-11-01T04:00:00Z', 5, 'America/New_York')).toEqual([
      '2026-11-01T04:30Z', // 00:30 EDT
      '2026-11-01T05:00Z', // 01:00 EDT
      '2026-11-01T05:30Z', // 01:30 EDT
      '2026-11-01T07:00Z', // 02:00 EST; the second 01:00 and 01:30 do not run again
      '2026-11-01T07:30Z',
    ]);
  });

  it('does not run a folded time again when asked from inside the second occurrence', () => {
    expect(next('cron(45 1 * * ? *)', '2026-11-01T06:10:00Z', 1, 'America/New_York')).toEqual(['2026-11-02T06:45Z']);
  });

  it('keeps daily times on the wall clock across both changes', () => {
    expect(next('cron(0 9 ? * MON-FRI *)', '2026-03-06T00:00:00Z', 2, 'America/New_York')).toEqual([
      '2026-03-06T14:00Z', // Friday 09:00 EST
      '2026-03-09T13:00Z', // Monday 09:00 EDT
    ]);
  });
});

describe('Europe/Berlin (2026: spring forward 29 March 02:00, fall back 25 October 03:00)', () => {
  it('skips 02:30 on 29 March', () => {
    expect(next('cron(30 2 * * ? *)', '2026-03-28T00:00:00Z', 3, 'Europe/Berlin')).toEqual([
      '2026-03-28T01:30Z', // 02:30 CET
      '2026-03-30T00:30Z', // 02:30 CEST
      '2026-03-31T00:30Z',
    ]);
  });

  it('runs 02:30 once on 25 October, at the first (summer time) occurrence', () => {
    expect(next('cron(30 2 * * ? *)', '2026-10-24T00:00:00Z', 3, 'Europe/Berlin')).toEqual([
      '2026-10-24T00:30Z',
      '2026-10-25T00:30Z', // 02:30 CEST, not 01:30Z (02:30 CET)
      '2026-10-26T01:30Z',
    ]);
  });

  it('skips a one-day schedule that falls in the gap entirely', () => {
    expect(next('cron(15 2 29 3 ? 2026)', '2026-01-01T00:00:00Z', 1, 'Europe/Berlin')).toEqual([]);
  });

  it('pushes a one-time at() in the gap forward by the gap rather than dropping it', () => {
    expect(next('at(2026-03-29T02:30:00)', '2026-01-01T00:00:00Z', 1, 'Europe/Berlin')).toEqual(['2026-03-29T01:30Z']);
    // In the fold, at() takes the first occurrence.
    expect(next('at(2026-10-25T02:30:00)', '2026-01-01T00:00:00Z', 1, 'Europe/Berlin')).toEqual(['2026-10-25T00:30Z']);
  });
});

describe('Australia/Lord_Howe (30-minute shifts; 2026: back 5 April 02:00→01:30, forward 4 October 02:00→02:30)', () => {
  it('skips 02:15 on the night it does not exist', () => {
    expect(next('cron(15 2 * * ? *)', '2026-10-02T00:00:00Z', 3, 'Australia/Lord_Howe')).toEqual([
      '2026-10-02T15:45Z', // 3 October 02:15 at +10:30
      '2026-10-04T15:15Z', // 5 October 02:15 at +11:00; 4 October has none
      '2026-10-05T15:15Z',
    ]);
  });

  it('runs 01:45 once on the night it happens twice', () => {
    expect(next('cron(45 1 * * ? *)', '2026-04-03T00:00:00Z', 3, 'Australia/Lord_Howe')).toEqual([
      '2026-04-03T14:45Z',
      '2026-04-04T14:45Z', // first 01:45 (+11:00); the second would be 15:15Z
      '2026-04-05T15:15Z',
    ]);
  });
});

describe('zones without daylight saving', () => {
  it('reads Asia/Kolkata at +05:30', () => {
    expect(next('cron(0 9 * * ? *)', '2026-01-01T00:00:00Z', 1, 'Asia/Kolkata')).toEqual(['2026-01-01T03:30Z']);
  });

  it('skips the calendar day Samoa dropped in 2011', () => {
    expect(next('cron(0 12 * * ? 2011)', '2011-12-29T00:00:00Z', 2, 'Pacific/Apia')).toEqual([
      '2011-12-29T22:00Z', // 29 December 12:00 at -10:00
      '2011-12-30T22:00Z', // 31 December 12:00 at +14:00; 30 December never happened
    ]);
  });
});
