import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MetricAggregator } from './aggregator.ts';
import { MetricFilterPlan } from './filter-plan.ts';
import { EXACT_LIMIT, RELATIVE_ACCURACY, ValueSketch } from './sketch.ts';
import { StatSet } from './stats.ts';

const exactRank = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * values.length) - 1)]!;

describe('statistics of a bucket', () => {
  it('gives Sum, Average, Minimum, Maximum and SampleCount', () => {
    const s = new StatSet();
    [3, 1, 2, 10].forEach((v) => s.add(v));
    expect(['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'].map((x) => s.statistic(x))).toEqual([
      16, 4, 1, 10, 4,
    ]);
  });

  it('gives exact nearest-rank percentiles for small buckets', () => {
    const s = new StatSet();
    for (let i = 1; i <= 100; i++) s.add(i);
    expect(s.statistic('p90')).toBe(90);
    expect(s.statistic('p99.9')).toBe(100);
    expect(s.statistic('p0')).toBe(1);
  });

  it('has no datapoint without samples', () => expect(new StatSet().statistic('Sum')).toBeUndefined());

  it('keeps percentiles within 1 % of the exact value for large buckets, merged or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: EXACT_LIMIT + 1, maxLength: 2000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, q) => {
          const a = new StatSet();
          const b = new StatSet();
          values.forEach((v, i) => (i % 2 ? a : b).add(v));
          a.merge(b);
          const got = a.statistic(`p${(q * 100).toFixed(2).replace(/\.?0+$/, '')}`)!;
          const want = exactRank(values, Number((q * 100).toFixed(2)) / 100);
          expect(Math.abs(got - want)).toBeLessThanOrEqual(Math.abs(want) * RELATIVE_ACCURACY + 1e-9);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('survives a round trip through its stored form', () => {
    const s = new StatSet();
    for (let i = 0; i < 500; i++) s.add(i % 37);
    const back = StatSet.fromRow(s.toRow());
    expect(back.statistic('p50')).toBe(s.statistic('p50'));
    expect(back.statistic('Sum')).toBe(s.statistic('Sum'));
  });

  it('adds a value many times at once without growing', () => {
    const sk = new ValueSketch();
    sk.add(7, 1_000_000);
    expect(sk.count).toBe(1_000_000);
    expect(JSON.stringify(sk).length).toBeLessThan(100);
  });
});

describe('metric filters', () => {
  const plan = (FilterPattern: string, t: Record<string, unknown>) =>
    new MetricFilterPlan({
      name: 'f',
      logGroup: 'g',
      FilterPattern,
      MetricTransformations: [{ MetricName: 'M', MetricNamespace: 'N', MetricValue: '1', ...t } as never],
    });
  const stats = (agg: MetricAggregator) => agg.drain().map((p) => [p.series.dimensions, p.stats.sum, p.stats.count]);

  it('counts matching lines of a text and publishes DefaultValue for the rest', () => {
    const p = plan('ERROR', { DefaultValue: 0 });
    const agg = new MetricAggregator();
    const text = 'ok\nERROR one\nfine\nERROR two\n';
    const n = p.applyText(text, 0, agg);
    p.addDefaults(4 - n, 0, agg);
    expect(stats(agg)).toEqual([[{}, 2, 4]]);
  });

  it('takes values and dimensions from space-delimited fields', () => {
    const p = plan('[ip, user, status, bytes]', {
      MetricValue: '$bytes',
      Dimensions: [{ Key: 'Status', Value: '$status' }],
    });
    const agg = new MetricAggregator();
    p.applyText('1.1.1.1 a 200 10\n1.1.1.1 b 500 7\n2.2.2.2 c 200 5\n', 0, agg);
    expect(stats(agg)).toEqual([
      [{ Status: '200' }, 15, 2],
      [{ Status: '500' }, 7, 1],
    ]);
  });

  it('reads JSON values for single events, with DefaultValue on a non-match', () => {
    const p = plan('{ $.level = "error" }', { MetricValue: '$.latency', DefaultValue: 0 });
    const agg = new MetricAggregator();
    expect(p.applyEvent('{"level":"error","latency":120}', 0, agg)).toBe(true);
    expect(p.applyEvent('{"level":"info","latency":5}', 0, agg)).toBe(false);
    expect(stats(agg)).toEqual([[{}, 120, 2]]);
  });

  it('exposes the anchor the core scanner uses, so raw bytes can be searched', () => {
    expect(plan('"GET /login"', {}).anchor).toEqual({ text: 'GET /login', unlessBackslash: false });
    expect(plan('{ $.level = "error" }', {}).anchor?.unlessBackslash).toBe(true);
    expect(plan('[a, b = 5]', {}).anchor).toBeUndefined();
  });

  it('buckets observations per 10 seconds', () => {
    const p = plan('x', {});
    const agg = new MetricAggregator();
    p.applyEvent('x', 9_999, agg);
    p.applyEvent('x', 10_000, agg);
    expect(agg.drain().map((d) => d.bucket)).toEqual([0, 10_000]);
  });
});
