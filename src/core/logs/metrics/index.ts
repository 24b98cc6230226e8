/** Metric filters applied to log events, aggregated per 10 s bucket with every CloudWatch statistic. */
export { BASE_RESOLUTION_SECONDS, MetricAggregator, type PendingPoint } from './aggregator.ts';
export { MetricFilterPlan, type LineAnchor, type MetricFilterDefinition } from './filter-plan.ts';
export { bucketStart, seriesFromKey, seriesKey, type MetricSeries } from './series.ts';
export { EXACT_LIMIT, RELATIVE_ACCURACY, ValueSketch } from './sketch.ts';
export { BASIC_STATISTICS, PERCENTILE, StatSet, isStatistic, type BasicStatistic } from './stats.ts';
