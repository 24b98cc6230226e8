import { describe, expect, it } from 'vitest';
import { filterQuery, filtersToSearch, parseFilters, timeWindow } from './event-filters.ts';
import { axisTicks, buildBars, bucketKey } from './histogram.ts';
import { pairsToPolicy, parsePolicy, policyToPairs } from './silence-matcher.ts';

describe('the Alerts page filters in the URL', () => {
  it('round-trips through the query string and drops what it does not know', () => {
    const f = parseFilters('?severity=critical&source=grafana&text=disk&range=24h&bucket=hour&severity2=x');
    expect(f).toMatchObject({ severity: 'critical', source: 'grafana', text: 'disk', range: '24h', bucket: 'hour' });
    expect(filtersToSearch(f)).toBe('?source=grafana&severity=critical&text=disk&range=24h&bucket=hour');
    expect(parseFilters('?severity=nope&status=maybe&range=5y')).toMatchObject({
      severity: '',
      status: '',
      range: 'all',
    });
    expect(filtersToSearch(parseFilters(''))).toBe('');
  });

  it('makes from/to a custom range and resolves relative ranges at "now"', () => {
    const custom = parseFilters('?from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z');
    expect(custom.range).toBe('custom');
    expect(filterQuery(custom, 0).toString()).toBe('from=2026-11-01T00%3A00%3A00.000Z&to=2026-11-02T00%3A00%3A00.000Z');
    const now = Date.parse('2026-11-26T12:00:00Z');
    expect(timeWindow(parseFilters('?range=1h'), now)).toEqual({ from: now - 3_600_000, to: null });
    expect(filterQuery(parseFilters('?range=1h'), now).get('from')).toBe('2026-11-26T11:00:00.000Z');
  });
});

describe('the chart bars', () => {
  const now = Date.parse('2026-11-26T12:30:00Z');

  it('fills empty hours and stacks severities per bucket', () => {
    const { bars } = buildBars(
      [
        { bucket: '2026-11-26T12:00Z', severity: 'critical', count: 2 },
        { bucket: '2026-11-26T12:00Z', severity: 'info', count: 1 },
        { bucket: '2026-11-26T09:00Z', severity: 'warning', count: 4 },
      ],
      'hour',
      { from: now - 6 * 3_600_000, to: null },
      now,
    );
    expect(bars.map((b) => b.bucket)).toEqual([
      '2026-11-26T06:00Z',
      '2026-11-26T07:00Z',
      '2026-11-26T08:00Z',
      '2026-11-26T09:00Z',
      '2026-11-26T10:00Z',
      '2026-11-26T11:00Z',
      '2026-11-26T12:00Z',
    ]);
    expect(bars[3]).toMatchObject({ total: 4, counts: { warning: 4 } });
    expect(bars[6]).toMatchObject({ total: 3, counts: { critical: 2, info: 1, error: 0 } });
  });

  it('shows at least two weeks of days for all of history, and caps very long ranges', () => {
    const { bars } = buildBars(
      [{ bucket: '2026-11-26', severity: 'error', count: 1 }],
      'day',
      { from: null, to: null },
      now,
    );
    expect(bars).toHaveLength(14);
    expect(bars.at(-1)).toMatchObject({ bucket: '2026-11-26', total: 1 });
    const long = buildBars([], 'hour', { from: now - 100 * 86_400_000, to: null }, now);
    expect(long.truncated).toBe(true);
    expect(long.bars).toHaveLength(400);
    expect(bucketKey(now, 'hour')).toBe('2026-11-26T12:00Z');
  });

  it('picks round axis ticks that reach the tallest bar', () => {
    expect(axisTicks(0)).toEqual([0, 1]);
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(7)).toEqual([0, 2, 4, 6, 8]);
    expect(axisTicks(130).at(-1)).toBeGreaterThanOrEqual(130);
  });
});

describe('the silence matcher builder', () => {
  it('turns key = value pairs into an SNS filter policy and back', () => {
    const pairs = [
      { key: 'service', value: 'payments' },
      { key: 'severity', value: 'warning' },
      { key: 'severity', value: 'info' },
      { key: ' ', value: 'ignored' },
    ];
    const policy = pairsToPolicy(pairs);
    expect(policy).toEqual({ service: ['payments'], severity: ['warning', 'info'] });
    expect(policyToPairs(policy)).toEqual(pairs.slice(0, 3));
    expect(policyToPairs({ team: [{ prefix: 'data-' }] })).toBeNull();
  });

  it('says what is wrong with the JSON', () => {
    expect(parsePolicy('{ "a": [')).toEqual({ error: expect.stringMatching(/^Not valid JSON/) });
    expect(parsePolicy('["a"]')).toEqual({ error: expect.stringMatching(/must be a JSON object/) });
    expect(parsePolicy('{}')).toEqual({ error: expect.stringMatching(/every event/) });
    expect(parsePolicy('{ "a": ["b"] }')).toEqual({ policy: { a: ['b'] } });
  });
});
