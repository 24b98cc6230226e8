import type { JsonExpression, JsonSelector } from './types.ts';

/** Characters of `String(aNumber)`: such a core might match a number value, which has no quotes. */
const NUMBERISH = /^[0-9.e+\-Infity]*$/;
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

/**
 * Substrings that any line the expression matches must contain, provided the line has no backslash (a
 * JSON string may spell any character as an escape, so lines with one are never skipped): the quoted
 * keys of every selector that must exist, and `"value"` for `= "value"` (or its prefix/suffix with a
 * wildcard). Checking them is far cheaper than validating the JSON, and most lines of a log fail here.
 */
export function requiredSubstrings(e: JsonExpression): string[] {
  switch (e.kind) {
    case 'and':
      return [...new Set([...requiredSubstrings(e.left), ...requiredSubstrings(e.right)])];
    case 'or': {
      const right = new Set(requiredSubstrings(e.right));
      return requiredSubstrings(e.left).filter((s) => right.has(s));
    }
    case 'not-exists':
      return [];
    case 'is':
      return keysOf(e.selector);
    case 'compare': {
      const out = keysOf(e.selector);
      const v = e.value;
      if (e.op === '=' && v.kind === 'string' && !NUMBERISH.test(v.core) && !NEEDS_ESCAPE.test(v.core)) {
        out.push((v.anyPrefix ? '' : '"') + v.core + (v.anySuffix ? '' : '"'));
      }
      return out;
    }
  }
}

const keysOf = (s: JsonSelector): string[] => s.path.flatMap((p) => (p.kind === 'key' ? [`"${p.key}"`] : []));
