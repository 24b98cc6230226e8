import type { ValueTest } from './compare.ts';
import { strictNumber } from './lexer.ts';
import type { JsonExpression, PathSegment } from './types.ts';

/**
 * A sound pre-check on the raw text of a JSON event, so that most lines are rejected without JSON.parse
 * (where the time goes). In a line without a backslash every `"` delimits a string, and `"key"` followed
 * by `:` is a key; the value the selector reaches, when it exists, is the value after one of those
 * occurrences. So a condition on a selector ending in `.key` can only hold if the value after some
 * occurrence satisfies it. `false` means "surely no match"; `true` means "parse and evaluate".
 */
export type QuickCheck = (line: string) => boolean;

const MAYBE: QuickCheck = () => true;
/** An object or array after the colon: exists, not null, not a string or a number. */
const CONTAINER = Symbol('container');
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

type CompareNode = Extract<JsonExpression, { kind: 'compare' }>;

export function quickCheck(e: JsonExpression, compare: (e: CompareNode) => ValueTest): QuickCheck {
  switch (e.kind) {
    case 'and': {
      const l = quickCheck(e.left, compare);
      const r = quickCheck(e.right, compare);
      return (line) => l(line) && r(line);
    }
    case 'or': {
      const l = quickCheck(e.left, compare);
      const r = quickCheck(e.right, compare);
      return l === MAYBE || r === MAYBE ? MAYBE : (line) => l(line) || r(line);
    }
    case 'not-exists':
      return MAYBE;
    case 'is': {
      const want = e.value;
      return leaf(lastKey(e.selector.path), (v) => v === want);
    }
    case 'compare': {
      const test = compare(e);
      return leaf(lastKey(e.selector.path), (v) =>
        typeof v === 'string' ? test(v, strictNumber(v)) : typeof v === 'number' ? test(String(v), v) : false,
      );
    }
  }
}

const lastKey = (path: readonly PathSegment[]): string | undefined => {
  const last = path[path.length - 1];
  return last?.kind === 'key' ? last.key : undefined;
};

function leaf(key: string | undefined, pass: (v: unknown) => boolean): QuickCheck {
  if (key === undefined) return MAYBE;
  const needle = `"${key}"`;
  return (line) => {
    for (let from = 0; ;) {
      const at = line.indexOf(needle, from);
      if (at < 0) return false;
      from = at + needle.length;
      let i = skipSpace(line, from);
      if (line.charCodeAt(i) !== 58) continue; // not a key
      i = skipSpace(line, i + 1);
      if (pass(rawValue(line, i))) return true;
    }
  };
}

function skipSpace(line: string, i: number): number {
  for (;;) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) i++;
    else return i;
  }
}

/** The value starting at `i` of a backslash-free line (anything invalid can only fail to match). */
function rawValue(line: string, i: number): unknown {
  const c = line.charCodeAt(i);
  if (c === 34) {
    const close = line.indexOf('"', i + 1);
    return close < 0 ? CONTAINER : line.slice(i + 1, close);
  }
  if (c === 45 || (c >= 48 && c <= 57)) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(line);
    return m ? Number(m[0]) : CONTAINER;
  }
  if (line.startsWith('true', i)) return true;
  if (line.startsWith('false', i)) return false;
  if (line.startsWith('null', i)) return null;
  return CONTAINER;
}
