import { describe, expect, it } from 'vitest';
// The conformance cases from AWS's documentation, vendored from ../shared/conformance (test/conformance/).
import conformance from '../../../test/conformance/cloudwatch-filter-patterns.json' with { type: 'json' };
import { compileFilterPattern, testMetricFilter } from './index.ts';

interface Case {
  filterPattern: string;
  logEventMessages: string[];
  matches: boolean[];
}

const cases = (conformance as { cases: Case[] }).cases;

describe('the shared CloudWatch filter pattern conformance cases', () => {
  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe.each(cases.map((c, i) => [i, c.filterPattern, c] as const))('case %i: %s', (_i, _pattern, c) => {
    it('matches exactly the expected events', () => {
      const compiled = compileFilterPattern(c.filterPattern);
      expect(c.logEventMessages.map((m) => compiled.matches(m))).toEqual(c.matches);
      expect(c.logEventMessages.map((m) => compiled.match(m) !== undefined)).toEqual(c.matches);
    });

    it('lists the same events through testMetricFilter, numbered from 1', () => {
      const expected = c.matches.flatMap((m, i) => (m ? [i + 1] : []));
      const got = testMetricFilter(c.filterPattern, c.logEventMessages).matches.map((m) => m.eventNumber);
      expect(got).toEqual(expected);
    });

    it.runIf(c.logEventMessages.every((m) => !m.includes('\n')))(
      'counts the same lines when scanning them as one text',
      () => {
        const text = c.logEventMessages.join('\n');
        expect(compileFilterPattern(c.filterPattern).countMatchingLines(text)).toBe(c.matches.filter(Boolean).length);
      },
    );
  });
});
