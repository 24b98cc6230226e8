import { invalid } from '../errors.ts';
import { compileFilterPattern } from './compile.ts';
import { INVALID_LOG_EVENT_MESSAGES } from './errors.ts';

/** One matched event, exactly as TestMetricFilter's `MetricFilterMatchRecord`. */
export interface MetricFilterMatchRecord {
  eventNumber: number;
  eventMessage: string;
  extractedValues: Record<string, string>;
}

export interface TestMetricFilterResponse {
  matches: MetricFilterMatchRecord[];
}

/** AWS accepts 1 to 50 log event messages, each at least one character long. */
export const MAX_TEST_MESSAGES = 50;

/**
 * CloudWatch Logs TestMetricFilter: which of the messages match the pattern. Only matching events are
 * listed; `eventNumber` counts from 1 over all the messages given. `extractedValues` holds the fields
 * of a space-delimited pattern (`$name`, or `$<position>` for unnamed ones) and is empty for other
 * patterns, as AWS documents ("If you are not using a space-delimited filter, this will be empty").
 * Throws CairnError CAIRN_INVALID_FILTER_PATTERN for a bad pattern, CAIRN_INVALID_LOG_EVENT_MESSAGES
 * for messages outside AWS's limits.
 */
export function testMetricFilter(filterPattern: string, logEventMessages: readonly string[]): TestMetricFilterResponse {
  const compiled = compileFilterPattern(filterPattern);
  if (!Array.isArray(logEventMessages) || logEventMessages.length < 1 || logEventMessages.length > MAX_TEST_MESSAGES) {
    throw invalid(INVALID_LOG_EVENT_MESSAGES, `logEventMessages must hold 1 to ${MAX_TEST_MESSAGES} messages`);
  }
  const matches: MetricFilterMatchRecord[] = [];
  logEventMessages.forEach((message, i) => {
    if (typeof message !== 'string' || message.length === 0) {
      throw invalid(INVALID_LOG_EVENT_MESSAGES, `logEventMessages[${i}] must be a non-empty string`, { index: i });
    }
    const m = compiled.match(message);
    if (m) matches.push({ eventNumber: i + 1, eventMessage: message, extractedValues: { ...m.extractedValues } });
  });
  return { matches };
}
