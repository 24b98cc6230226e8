import { describe, expect, it } from 'vitest';
import conformance from '../../../../test/conformance/eventbridge-schedules.json' with { type: 'json' };
import { isCairnError } from '../../errors.ts';
import { nextFireTimes, parseSchedule } from './index.ts';

interface ConformanceCase {
  expression: string;
  from?: string;
  next?: string[] | null;
  valid?: boolean;
}

const cases = conformance.cases as ConformanceCase[];
const iso = (dates: Date[]) => dates.map((d) => d.toISOString().replace('.000Z', 'Z'));

describe('EventBridge schedule conformance (test/conformance/eventbridge-schedules.json)', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    if (c.valid === false) {
      it(`rejects ${c.expression} with a clear error`, () => {
        let caught: unknown;
        try {
          parseSchedule(c.expression);
        } catch (e) {
          caught = e;
        }
        expect(isCairnError(caught)).toBe(true);
        expect(caught).toMatchObject({ code: 'CAIRN_INVALID_SCHEDULE', kind: 'invalid' });
        expect((caught as Error).message.length).toBeGreaterThan(10);
      });
    } else if (c.next === null) {
      it(`cannot place ${c.expression} without a start date, and counts from one when given`, () => {
        const from = new Date(c.from ?? '');
        expect(() => nextFireTimes(c.expression, { from, count: 2 })).toThrow(
          expect.objectContaining({ code: 'CAIRN_SCHEDULE_START_REQUIRED' }),
        );
        const startDate = new Date(from.getTime() - 60_000);
        const times = nextFireTimes(c.expression, { from, count: 2, startDate });
        expect(times).toHaveLength(2);
        expect(times.every((t) => t.getTime() > from.getTime())).toBe(true);
      });
    } else {
      it(`fires ${c.expression} after ${c.from} at ${(c.next ?? []).join(', ')}`, () => {
        const next = c.next ?? [];
        const times = nextFireTimes(c.expression, { from: new Date(c.from ?? ''), count: next.length });
        expect(iso(times)).toEqual(next);
      });
    }
  }
});
