import { isPatternError, patternError } from './errors.ts';
import { compileJson } from './match-json.ts';
import { compileSpaceDelimited } from './match-space-delimited.ts';
import { compileTerms } from './match-terms.ts';
import { parseFilterPattern } from './parse.ts';
import { countMatchingLines, forEachMatchingLine, type ScanPlan } from './scan-lines.ts';
import type { FilterMatch, FilterPatternAst } from './types.ts';

export interface CompiledFilterPattern {
  readonly pattern: string;
  readonly ast: FilterPatternAst;
  /** Whether one log event matches (the fast path: no extracted values are built). */
  matches(message: string): boolean;
  /** The match, with AWS's extracted values (and the parsed event for JSON patterns), or undefined. */
  match(message: string): FilterMatch | undefined;
  /** How many lines of `text` match (lines end at '\n'; a trailing '\r' is dropped), like `grep -c`. */
  countMatchingLines(text: string): number;
  /** Calls `onMatch` with each matching line of `text`, in order. */
  forEachMatchingLine(text: string, onMatch: (line: string) => void): void;
}

const NO_VALUES: Readonly<Record<string, string>> = Object.freeze({});

interface Engine extends ScanPlan {
  match: (line: string) => FilterMatch | undefined;
}

/**
 * Parses and compiles a filter pattern once; the result matches events without further parsing.
 * Throws only CairnError CAIRN_INVALID_FILTER_PATTERN. Matching never throws.
 */
export function compileFilterPattern(pattern: string): CompiledFilterPattern {
  const ast = parseFilterPattern(pattern);
  let engine: Engine;
  try {
    engine = compileAst(ast);
  } catch (e) {
    // The parser has already checked everything compiling relies on; keep the one-error contract anyway.
    if (isPatternError(e)) throw e;
    throw patternError(1, 'the filter pattern could not be compiled');
  }
  const plan = engine;
  return {
    pattern,
    ast,
    matches: engine.test,
    match: engine.match,
    countMatchingLines: (text) => countMatchingLines(text, plan),
    forEachMatchingLine: (text, onMatch) => forEachMatchingLine(text, plan, onMatch),
  };
}

function compileAst(ast: FilterPatternAst): Engine {
  switch (ast.kind) {
    case 'all':
      return {
        test: () => true,
        match: (m) => ({ eventMessage: m, extractedValues: NO_VALUES }),
        anchor: undefined,
        unlessBackslash: false,
        decides: 'all',
      };
    case 'terms': {
      const { test, anchor, anchorDecides } = compileTerms(ast);
      const usable = anchor !== undefined && !anchor.includes('\r');
      return {
        test,
        match: (m) => (test(m) ? { eventMessage: m, extractedValues: NO_VALUES } : undefined),
        anchor: usable ? anchor : undefined,
        unlessBackslash: false,
        decides: usable && anchorDecides ? 'anchor' : 'test',
      };
    }
    case 'space-delimited': {
      const d = compileSpaceDelimited(ast);
      return {
        test: d.test,
        match: (m) => {
          const values = d.match(m);
          return values ? { eventMessage: m, extractedValues: values } : undefined;
        },
        anchor: undefined,
        unlessBackslash: false,
        decides: 'test',
      };
    }
    case 'json': {
      const j = compileJson(ast);
      // Search without the quotes: a '"' starts almost every token of JSON text, which slows indexOf.
      const anchor = j.required
        .map((r) => r.replace(/^"|"$/g, ''))
        .reduce<string | undefined>((a, r) => (r.length > (a?.length ?? 0) ? r : a), undefined);
      return {
        test: j.test,
        match: (m) => (j.test(m) ? jsonMatch(m) : undefined),
        anchor,
        unlessBackslash: true,
        decides: 'test',
      };
    }
  }
}

/** A JSON match; the event is parsed only if asked for (a matched event is valid JSON). */
function jsonMatch(eventMessage: string): FilterMatch {
  let parsed: unknown;
  return {
    eventMessage,
    extractedValues: NO_VALUES,
    get json(): unknown {
      return (parsed ??= JSON.parse(eventMessage));
    },
  };
}
