import { type MetricSeries, bucketStart, seriesKey } from './series.ts';
import { StatSet } from './stats.ts';

/** The finest resolution kept: alarms and queries may use any period that is a multiple of it. */
export const BASE_RESOLUTION_SECONDS = 10;

export interface PendingPoint {
  readonly key: string;
  readonly series: MetricSeries;
  readonly unit: string | undefined;
  /** Start of the 10 s bucket, epoch ms. */
  readonly bucket: number;
  readonly stats: StatSet;
}

interface SeriesBuckets {
  readonly series: MetricSeries;
  readonly unit: string | undefined;
  readonly buckets: Map<number, StatSet>;
}

/**
 * Observations not yet stored, per series and 10 s bucket. The agent drains it into the store in the
 * same transaction as the file offsets the observations came from, so a restart never counts twice.
 */
export class MetricAggregator {
  private pending = new Map<string, SeriesBuckets>();
  private points = 0;

  /** How many (series, bucket) points are pending. */
  get size(): number {
    return this.points;
  }

  add(series: MetricSeries, unit: string | undefined, timestampMs: number, value: number, times = 1): void {
    this.addKeyed(seriesKey(series), series, unit, timestampMs, value, times);
  }

  /** `add` with the series key already computed (the hot path of a metric filter without dimensions). */
  addKeyed(
    key: string,
    series: MetricSeries,
    unit: string | undefined,
    timestampMs: number,
    value: number,
    times = 1,
  ): void {
    if (times <= 0) return;
    let s = this.pending.get(key);
    if (!s) this.pending.set(key, (s = { series, unit, buckets: new Map() }));
    const b = bucketStart(timestampMs, BASE_RESOLUTION_SECONDS);
    let stats = s.buckets.get(b);
    if (!stats) {
      s.buckets.set(b, (stats = new StatSet()));
      this.points++;
    }
    stats.add(value, times);
  }

  /** Puts drained points back (their commit failed), merging with anything added since. */
  restore(points: readonly PendingPoint[]): void {
    for (const p of points) {
      let s = this.pending.get(p.key);
      if (!s) this.pending.set(p.key, (s = { series: p.series, unit: p.unit, buckets: new Map() }));
      const stats = s.buckets.get(p.bucket);
      if (stats) stats.merge(p.stats);
      else {
        s.buckets.set(p.bucket, p.stats);
        this.points++;
      }
    }
  }

  /** Everything pending, and forgets it. */
  drain(): PendingPoint[] {
    const out: PendingPoint[] = [];
    for (const [key, s] of this.pending) {
      for (const [bucket, stats] of s.buckets) out.push({ key, series: s.series, unit: s.unit, bucket, stats });
    }
    this.pending = new Map();
    this.points = 0;
    return out;
  }
}
