import { compileComparison, type ValueTest } from './compare.ts';
import { resolveOne, resolvePath } from './json-path.ts';
import { requiredSubstrings } from './json-prefilter.ts';
import { quickCheck } from './json-quick.ts';
import { strictNumber } from './lexer.ts';
import type { JsonExpression, JsonPattern, JsonSelector } from './types.ts';

type Evaluate = (root: object) => boolean;
type CompareNode = Extract<JsonExpression, { kind: 'compare' }>;

export interface CompiledJson {
  readonly test: (line: string) => boolean;
  /** Substrings every matching backslash-free line contains (see json-prefilter.ts). */
  readonly required: readonly string[];
}

/**
 * JSON patterns only match events that are a JSON object (after leading white space). A selector must
 * reach a string or a number for `=`/`!=`/`<`... to hold (AWS: `{$.users = 1}` and `{$.users != 1}`
 * both fail on an array); with `.*`/`[*]` the condition holds when any reached value satisfies it.
 * Lines without a backslash first go through json-quick.ts, so most non-matching lines are never parsed.
 */
export function compileJson(pattern: JsonPattern): CompiledJson {
  const tests = new Map<CompareNode, ValueTest>();
  const testOf = (e: CompareNode): ValueTest => {
    let t = tests.get(e);
    if (!t) tests.set(e, (t = compileComparison(e.op, e.value)));
    return t;
  };
  const evaluate = compileExpression(pattern.expression, testOf);
  const quick = quickCheck(pattern.expression, testOf);
  const required = requiredSubstrings(pattern.expression);

  const test = (line: string): boolean => {
    let i = 0;
    const n = line.length;
    while (i < n) {
      const c = line.charCodeAt(i);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) break;
      i++;
    }
    if (line.charCodeAt(i) !== 123) return false;
    if (line.indexOf('\\', i) < 0 && !quick(line)) return false;
    let root: unknown;
    try {
      root = JSON.parse(line);
    } catch {
      return false;
    }
    return typeof root === 'object' && root !== null && !Array.isArray(root) && evaluate(root);
  };
  return { test, required };
}

const hasWildcard = (s: JsonSelector): boolean => s.path.some((p) => p.kind === 'any');

function compileExpression(e: JsonExpression, testOf: (e: CompareNode) => ValueTest): Evaluate {
  switch (e.kind) {
    case 'and': {
      const l = compileExpression(e.left, testOf);
      const r = compileExpression(e.right, testOf);
      return (root) => l(root) && r(root);
    }
    case 'or': {
      const l = compileExpression(e.left, testOf);
      const r = compileExpression(e.right, testOf);
      return (root) => l(root) || r(root);
    }
    case 'not-exists':
      return select(
        e.selector,
        (found) => found.length === 0,
        (v) => v === undefined,
      );
    case 'is': {
      const want = e.value;
      return select(
        e.selector,
        (found) => found.includes(want),
        (v) => v === want,
      );
    }
    case 'compare': {
      const test = testOf(e);
      const valueTest = (v: unknown): boolean =>
        typeof v === 'string' ? test(v, strictNumber(v)) : typeof v === 'number' ? test(String(v), v) : false;
      return select(e.selector, (found) => found.some(valueTest), valueTest);
    }
  }
}

/** A condition on what a selector reaches: its single value, or with `.*`/`[*]` all the values. */
function select(
  selector: JsonSelector,
  onAll: (found: unknown[]) => boolean,
  onOne: (v: unknown) => boolean,
): Evaluate {
  const { path } = selector;
  return hasWildcard(selector) ? (root) => onAll(resolvePath(root, path)) : (root) => onOne(resolveOne(root, path));
}
