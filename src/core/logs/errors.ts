import { CairnError, invalid } from '../errors.ts';

/** The stable code of every filter pattern syntax error (docs/errors.md). */
export const INVALID_FILTER_PATTERN = 'CAIRN_INVALID_FILTER_PATTERN';
/** A metric transformation (MetricValue, DefaultValue, Dimensions) that AWS would refuse. */
export const INVALID_METRIC_TRANSFORMATION = 'CAIRN_INVALID_METRIC_TRANSFORMATION';
/** TestMetricFilter input outside AWS's limits (1 to 50 non-empty messages). */
export const INVALID_LOG_EVENT_MESSAGES = 'CAIRN_INVALID_LOG_EVENT_MESSAGES';

/** A syntax error at a 1-based column of the pattern: `column 14: expected ']' to close ...`. */
export const patternError = (column: number, reason: string): CairnError =>
  invalid(INVALID_FILTER_PATTERN, `column ${column}: ${reason}`, { column, reason });

export const isPatternError = (e: unknown): e is CairnError =>
  e instanceof CairnError && e.code === INVALID_FILTER_PATTERN;
