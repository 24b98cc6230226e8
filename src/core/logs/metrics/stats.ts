import { ValueSketch, type SketchJson } from './sketch.ts';

/** CloudWatch's statistics, plus percentiles `p0`…`p100` (e.g. `p90`, `p99.9`) as ExtendedStatistic. */
export type BasicStatistic = 'Sum' | 'Average' | 'Minimum' | 'Maximum' | 'SampleCount';
export const BASIC_STATISTICS: readonly BasicStatistic[] = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount'];
export const PERCENTILE = /^p(100|\d{1,2}(\.\d{1,10})?)$/;

export const isStatistic = (s: string): boolean =>
  (BASIC_STATISTICS as readonly string[]).includes(s) || PERCENTILE.test(s);

/** Everything one bucket of one metric knows: enough for every statistic, and mergeable. */
export class StatSet {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  readonly sketch: ValueSketch;

  constructor(sketch = new ValueSketch()) {
    this.sketch = sketch;
  }

  add(value: number, times = 1): void {
    if (times <= 0) return;
    this.count += times;
    this.sum += value * times;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sketch.add(value, times);
  }

  merge(o: StatSet): void {
    if (o.count === 0) return;
    this.count += o.count;
    this.sum += o.sum;
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
    this.sketch.merge(o.sketch);
  }

  /** The statistic's value; undefined when the bucket has no samples (a missing datapoint). */
  statistic(stat: string): number | undefined {
    if (this.count === 0) return undefined;
    switch (stat) {
      case 'Sum':
        return this.sum;
      case 'SampleCount':
        return this.count;
      case 'Average':
        return this.sum / this.count;
      case 'Minimum':
        return this.min;
      case 'Maximum':
        return this.max;
    }
    const m = PERCENTILE.exec(stat);
    if (!m) throw new RangeError(`unknown statistic ${stat}`);
    return this.sketch.quantile(Number(m[1]) / 100, this.min, this.max);
  }

  toRow(): { count: number; sum: number; min: number; max: number; sketch: string } {
    return { count: this.count, sum: this.sum, min: this.min, max: this.max, sketch: JSON.stringify(this.sketch) };
  }

  static fromRow(r: { count: number; sum: number; min: number; max: number; sketch: string }): StatSet {
    const s = new StatSet(ValueSketch.fromJSON(JSON.parse(r.sketch) as SketchJson));
    s.count = r.count;
    s.sum = r.sum;
    s.min = r.min;
    s.max = r.max;
    return s;
  }
}
