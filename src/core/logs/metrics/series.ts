/** A metric's identity: namespace, name and dimensions (CloudWatch treats each combination separately). */
export interface MetricSeries {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: Readonly<Record<string, string>>;
}

/** A stable key for a series: dimensions sorted by name, so `{a,b}` and `{b,a}` are one metric. */
export function seriesKey(s: MetricSeries): string {
  const dims = Object.keys(s.dimensions)
    .sort()
    .map((k) => [k, s.dimensions[k]!]);
  return JSON.stringify([s.namespace, s.name, dims]);
}

export function seriesFromKey(key: string): MetricSeries {
  const [namespace, name, dims] = JSON.parse(key) as [string, string, [string, string][]];
  return { namespace, name, dimensions: Object.fromEntries(dims) };
}

/** The start (epoch ms) of the `periodSeconds` bucket holding `ms`; buckets align to the epoch, as CloudWatch's do. */
export const bucketStart = (ms: number, periodSeconds: number): number =>
  Math.floor(ms / (periodSeconds * 1000)) * periodSeconds * 1000;
