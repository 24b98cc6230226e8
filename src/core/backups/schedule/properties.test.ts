import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../../errors.ts';
import { cronMatches, nextFireTimes, parseSchedule, wallClock, type CronSchedule } from './index.ts';

const ZONES = ['UTC', 'America/New_York', 'Europe/Berlin', 'Australia/Lord_Howe', 'Asia/Kolkata'];
/** Instants near daylight-saving changes and month ends, where mistakes hide. */
const ANCHORS = [
  '2026-03-08T06:00:00Z',
  '2026-11-01T05:00:00Z',
  '2026-03-29T00:30:00Z',
  '2026-10-25T00:30:00Z',
  '2026-04-04T14:30:00Z',
  '2026-10-03T15:00:00Z',
  '2026-02-27T12:00:00Z',
  '2028-02-28T12:00:00Z',
  '2026-12-31T12:00:00Z',
  '2026-07-15T00:00:00Z',
].map((s) => Date.parse(s));

interface Spec {
  min: number;
  max: number;
  step: boolean;
}
const MINUTE: Spec = { min: 0, max: 59, step: true };
const HOUR: Spec = { min: 0, max: 23, step: true };
const DOM: Spec = { min: 1, max: 31, step: true };
const MONTH: Spec = { min: 1, max: 12, step: true };
const DOW: Spec = { min: 1, max: 7, step: false };

const item = (s: Spec): fc.Arbitrary<string> => {
  const v = fc.integer({ min: s.min, max: s.max });
  const step = fc.integer({ min: 1, max: Math.min(s.max, 20) });
  const plain = [fc.constant('*'), v.map(String), fc.tuple(v, v).map(([a, b]) => `${a}-${b}`)];
  if (!s.step) return fc.oneof(...plain);
  return fc.oneof(
    ...plain,
    fc.tuple(v, step).map(([a, n]) => `${a}/${n}`),
    step.map((n) => `*/${n}`),
    fc.tuple(v, v, step).map(([a, b, n]) => `${a}-${b}/${n}`),
  );
};
const list = (s: Spec) => fc.array(item(s), { minLength: 1, maxLength: 3 }).map((xs) => xs.join(','));

const domField = fc.oneof(
  { arbitrary: list(DOM), weight: 4 },
  fc.constantFrom('L', 'LW'),
  fc.integer({ min: 1, max: 31 }).map((d) => `${d}W`),
);
const dowField = fc.oneof(
  { arbitrary: list(DOW), weight: 4 },
  fc.constantFrom('L', 'MON-FRI', 'FRI-MON', 'SAT,SUN'),
  fc.integer({ min: 1, max: 7 }).map((d) => `${d}L`),
  fc.tuple(fc.integer({ min: 1, max: 7 }), fc.integer({ min: 1, max: 5 })).map(([d, n]) => `${d}#${n}`),
);
const dayFields = fc.oneof(
  domField.map((dom) => `${dom} MONTH ?`),
  dowField.map((dow) => `? MONTH ${dow}`),
);
const cronExpr = fc
  .tuple(list(MINUTE), list(HOUR), dayFields, fc.oneof({ arbitrary: fc.constant('*'), weight: 3 }, list(MONTH)))
  .map(([mi, h, days, mo]) => `cron(${mi} ${h} ${days.replace('MONTH', mo)} *)`);

const fromArb = fc
  .tuple(fc.constantFrom(...ANCHORS), fc.integer({ min: -2 * 86_400, max: 2 * 86_400 }))
  .map(([anchor, seconds]) => anchor + seconds * 1000);

/** Minute-by-minute reference: the first occurrence of each matching wall-clock minute. */
function bruteForce(cron: CronSchedule, from: number, until: number, timeZone: string): number[] {
  const out: number[] = [];
  const seen = new Set<string>();
  for (let t = Math.floor((from - 3 * 3_600_000) / 60_000) * 60_000; t <= until; t += 60_000) {
    const w = wallClock(t, timeZone);
    const key = `${w.year}-${w.month}-${w.day}T${w.hour}:${w.minute}`;
    const first = !seen.has(key);
    seen.add(key);
    if (first && t > from && cronMatches(cron, w)) out.push(t);
  }
  return out;
}

describe('nextFireTimes properties', () => {
  it('returns strictly increasing times after from, each matching the expression on the zone wall clock', () => {
    fc.assert(
      fc.property(cronExpr, fromArb, fc.constantFrom(...ZONES), (expr, from, timeZone) => {
        const cron = parseSchedule(expr) as CronSchedule;
        const times = nextFireTimes(cron, { from: new Date(from), count: 8, timeZone }).map((d) => d.getTime());
        let previous = from;
        for (const t of times) {
          expect(t).toBeGreaterThan(previous);
          expect(t % 60_000).toBe(0);
          expect(cronMatches(cron, wallClock(t, timeZone))).toBe(true);
          previous = t;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a minute-by-minute scan over two days, DST changes included', () => {
    fc.assert(
      fc.property(cronExpr, fromArb, fc.constantFrom(...ZONES), (expr, from, timeZone) => {
        const cron = parseSchedule(expr) as CronSchedule;
        const until = from + 2 * 86_400_000;
        const expected = bruteForce(cron, from, until, timeZone).slice(0, 20);
        const actual = nextFireTimes(cron, { from: new Date(from), count: 20, timeZone })
          .map((d) => d.getTime())
          .filter((t) => t <= until);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees with the minute-by-minute scan across each transition, where gaps and folds are', () => {
    const transitions: Array<[string, string]> = [
      ['America/New_York', '2026-03-08T07:00:00Z'],
      ['America/New_York', '2026-11-01T06:00:00Z'],
      ['Europe/Berlin', '2026-03-29T01:00:00Z'],
      ['Europe/Berlin', '2026-10-25T01:00:00Z'],
      ['Australia/Lord_Howe', '2026-04-04T15:00:00Z'],
      ['Australia/Lord_Howe', '2026-10-03T15:30:00Z'],
    ];
    const hours = fc.oneof(
      { arbitrary: fc.constantFrom('*', '0-3', '1,2', '2', '1', '0/2', '1/2'), weight: 3 },
      list(HOUR),
    );
    const expr = fc.tuple(list(MINUTE), hours).map(([mi, h]) => `cron(${mi} ${h} * * ? *)`);
    const around = fc
      .tuple(fc.constantFrom(...transitions), fc.integer({ min: -180, max: 120 }))
      .map(([[zone, at], minutes]) => [zone, Date.parse(at) + minutes * 60_000 + 17_000] as const);
    fc.assert(
      fc.property(expr, around, (e, [timeZone, from]) => {
        const cron = parseSchedule(e) as CronSchedule;
        const until = from + 6 * 3_600_000;
        const expected = bruteForce(cron, from, until, timeZone).slice(0, 30);
        const actual = nextFireTimes(cron, { from: new Date(from), count: 30, timeZone })
          .map((d) => d.getTime())
          .filter((t) => t <= until);
        expect(actual).toEqual(expected);
      }),
      { numRuns: 200 },
    );
  });

  it('rate() times lie on the start date grid, strictly after from', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.constantFrom('minute', 'hour', 'day'),
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 0, max: 4e12 }),
        (n, unit, start, from) => {
          const expr = `rate(${n} ${unit}${n === 1 ? '' : 's'})`;
          const interval = n * { minute: 60_000, hour: 3_600_000, day: 86_400_000 }[unit];
          const times = nextFireTimes(expr, { from: new Date(from), count: 3, startDate: new Date(start) });
          expect(times).toHaveLength(3);
          for (const [i, d] of times.entries()) {
            const t = d.getTime();
            expect(t).toBeGreaterThan(from);
            expect(t).toBeGreaterThanOrEqual(start);
            expect((t - start) % interval).toBe(0);
            if (i === 0) expect(t - interval <= from || t === start).toBe(true);
          }
        },
      ),
    );
  });
});

describe('parseSchedule properties', () => {
  const onlyCairnErrors = (input: string) => {
    try {
      parseSchedule(input);
    } catch (e) {
      expect(e).toBeInstanceOf(CairnError);
      expect((e as CairnError).code).toBe('CAIRN_INVALID_SCHEDULE');
    }
  };

  it('accepts every expression built from the documented grammar', () => {
    fc.assert(fc.property(cronExpr, (expr) => void parseSchedule(expr)));
  });

  it('throws nothing but CAIRN_INVALID_SCHEDULE on arbitrary text', () => {
    fc.assert(fc.property(fc.string(), onlyCairnErrors), { numRuns: 500 });
  });

  it('throws nothing but CAIRN_INVALID_SCHEDULE on cron-shaped noise', () => {
    const token = fc.stringMatching(/^[0-9A-Z*?/,#\-LW]{0,6}$/);
    const noise = fc
      .tuple(fc.constantFrom('cron', 'rate', 'at'), fc.array(token, { minLength: 0, maxLength: 8 }))
      .map(([kind, parts]) => `${kind}(${parts.join(' ')})`);
    fc.assert(fc.property(noise, onlyCairnErrors), { numRuns: 2000 });
  });
});
