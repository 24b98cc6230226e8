import { describe, expect, it } from 'vitest';
import conformance from '../../../../test/conformance/sns-filter-policies.json' with { type: 'json' };
import { matchesFilterPolicy, validateFilterPolicy, type MessageAttributes } from './index.ts';

interface ConformanceCase {
  filterPolicy: Record<string, unknown>;
  messageAttributes: MessageAttributes;
  match: boolean;
}

const cases = conformance.cases as unknown as ConformanceCase[];

describe('SNS filter policy conformance (test/conformance/sns-filter-policies.json)', () => {
  it('has cases to check', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  for (const c of cases) {
    const attributes = Object.entries(c.messageAttributes)
      .map(([name, a]) => `${name}=${a.Value}`)
      .join(', ');
    it(`${c.match ? 'accepts' : 'rejects'} ${attributes} under ${JSON.stringify(c.filterPolicy)}`, () => {
      expect(validateFilterPolicy(c.filterPolicy, 'MessageAttributes')).toEqual(c.filterPolicy);
      expect(matchesFilterPolicy(c.filterPolicy, { messageAttributes: c.messageAttributes })).toBe(c.match);
    });
  }
});
