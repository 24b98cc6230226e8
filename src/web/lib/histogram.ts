import { SEVERITIES, type HistogramItem, type Severity } from './alerts-types.ts';

/** Turns the histogram API's rows into evenly spaced bars (empty buckets included) for the chart. */
export type BucketKind = 'hour' | 'day';

export interface Bar {
  /** The API's bucket name: `2026-11-26T10:00Z` or `2026-11-26` (UTC). */
  bucket: string;
  /** Start of the bucket, ms since the epoch. */
  start: number;
  counts: Record<Severity, number>;
  total: number;
}

const STEP: Record<BucketKind, number> = { hour: 3_600_000, day: 86_400_000 };
/** At least this many buckets, so one busy hour does not become one wall-wide bar. */
const MIN_BARS: Record<BucketKind, number> = { hour: 24, day: 14 };
export const MAX_BARS = 400;

export function bucketKey(ms: number, kind: BucketKind): string {
  const iso = new Date(ms).toISOString();
  return kind === 'hour' ? `${iso.slice(0, 13)}:00Z` : iso.slice(0, 10);
}

export function bucketStart(bucket: string): number {
  return Date.parse(bucket.length === 10 ? `${bucket}T00:00:00Z` : bucket);
}

const floorTo = (ms: number, kind: BucketKind) => Math.floor(ms / STEP[kind]) * STEP[kind];

const zero = (): Record<Severity, number> => ({ critical: 0, error: 0, warning: 0, info: 0 });

export function buildBars(
  items: HistogramItem[],
  kind: BucketKind,
  window: { from: number | null; to: number | null },
  now: number,
): { bars: Bar[]; truncated: boolean } {
  const step = STEP[kind];
  const starts = items.map((i) => bucketStart(i.bucket)).filter((t) => !Number.isNaN(t));
  let end = floorTo(window.to !== null ? window.to - 1 : Math.max(now, ...starts), kind);
  let start = floorTo(window.from ?? (starts.length ? Math.min(...starts) : end), kind);
  if (window.from === null) start = Math.min(start, end - (MIN_BARS[kind] - 1) * step);
  if (start > end) [start, end] = [end, start];
  let truncated = false;
  if ((end - start) / step + 1 > MAX_BARS) {
    start = end - (MAX_BARS - 1) * step;
    truncated = true;
  }
  const bars = new Map<string, Bar>();
  for (let t = start; t <= end; t += step) {
    bars.set(bucketKey(t, kind), { bucket: bucketKey(t, kind), start: t, counts: zero(), total: 0 });
  }
  for (const item of items) {
    const bar = bars.get(bucketKey(bucketStart(item.bucket), kind));
    if (!bar || !(SEVERITIES as readonly string[]).includes(item.severity)) continue;
    bar.counts[item.severity] += item.count;
    bar.total += item.count;
  }
  return { bars: [...bars.values()], truncated };
}

/** Round axis ticks: 0 … max in steps of 1, 2 or 5 × 10^n, at most about `count` of them. */
export function axisTicks(maxValue: number, count = 4): number[] {
  if (maxValue <= 0) return [0, 1];
  const raw = maxValue / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw) ?? magnitude * 10);
  const ticks: number[] = [];
  for (let v = 0; v < maxValue + step; v += step) ticks.push(v);
  return ticks;
}

export function totalsBySeverity(bars: Bar[]): Record<Severity, number> {
  const totals = zero();
  for (const bar of bars) for (const s of SEVERITIES) totals[s] += bar.counts[s];
  return totals;
}
