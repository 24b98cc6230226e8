/**
 * The CloudWatch Logs filter pattern language (metric filters, subscription filters, FilterLogEvents):
 * unstructured terms, space-delimited and JSON patterns, `%regex%`, TestMetricFilter and metric values.
 */
export { compileFilterPattern, type CompiledFilterPattern } from './compile.ts';
export { INVALID_FILTER_PATTERN, INVALID_LOG_EVENT_MESSAGES, INVALID_METRIC_TRANSFORMATION } from './errors.ts';
export {
  metricValueFor,
  validateMetricTransformation,
  type MetricObservation,
  type MetricTransformation,
} from './metric-value.ts';
export { MAX_PATTERN_LENGTH, parseFilterPattern } from './parse.ts';
export { splitFields } from './split-fields.ts';
export {
  MAX_TEST_MESSAGES,
  testMetricFilter,
  type MetricFilterMatchRecord,
  type TestMetricFilterResponse,
} from './test-metric-filter.ts';
export type * from './types.ts';
