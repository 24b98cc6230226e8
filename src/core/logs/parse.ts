import { isPatternError, patternError } from './errors.ts';
import { isSpace } from './lexer.ts';
import { parseJson } from './parse-json.ts';
import { parseSpaceDelimited } from './parse-space-delimited.ts';
import { parseTerms } from './parse-terms.ts';
import type { FilterPatternAst } from './types.ts';

/** AWS's limit on `filterPattern` (PutMetricFilter, PutSubscriptionFilter, TestMetricFilter). */
export const MAX_PATTERN_LENGTH = 1024;

/**
 * Parses a CloudWatch Logs filter pattern. The first non-blank character picks the language: `{` JSON,
 * `[` space-delimited, anything else unstructured terms; a blank pattern matches every event.
 * Throws only CairnError (kind 'invalid', code CAIRN_INVALID_FILTER_PATTERN), whose message and
 * details give the 1-based column and the reason.
 */
export function parseFilterPattern(pattern: string): FilterPatternAst {
  if (typeof pattern !== 'string') throw patternError(1, 'the filter pattern must be a string');
  if (pattern.length > MAX_PATTERN_LENGTH) {
    throw patternError(MAX_PATTERN_LENGTH + 1, `the filter pattern is longer than ${MAX_PATTERN_LENGTH} characters`);
  }
  try {
    let start = 0;
    while (start < pattern.length && isSpace(pattern.charAt(start))) start++;
    if (start === pattern.length) return { kind: 'all' };
    const first = pattern.charAt(start);
    if (first === '{') return parseJson(pattern, start);
    if (first === '[') return parseSpaceDelimited(pattern, start);
    return parseTerms(pattern, start);
  } catch (e) {
    if (isPatternError(e)) throw e;
    // Not expected; the contract is that nothing but a pattern error escapes.
    throw patternError(1, 'the filter pattern could not be parsed');
  }
}
