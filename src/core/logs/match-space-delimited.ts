import { compileComparison, type ValueTest } from './compare.ts';
import { strictNumber } from './lexer.ts';
import { splitFields } from './split-fields.ts';
import type { FieldCondition, SpaceDelimitedPattern } from './types.ts';

type FieldTest = (text: string) => boolean;

interface Slot {
  readonly ellipsis: boolean;
  readonly name: string | undefined;
  readonly test: FieldTest | undefined;
}

/** Extracted values of a matched event, or undefined when it does not match. */
export type DelimitedMatcher = (line: string) => Record<string, string> | undefined;

/**
 * Matches a space-delimited pattern. Without `...` the event must have exactly as many fields as the
 * pattern; each `...` absorbs any number of fields (the earlier ones as few as possible). Extracted
 * values are `$name` for named fields and `$<position>` (1-based) for unnamed and absorbed fields, as in
 * AWS's documented example `[..., request=*.html*, status_code=4*,]` → `$1`..`$4`, `$request`, ..., `$7`.
 */
export function compileSpaceDelimited(pattern: SpaceDelimitedPattern): {
  match: DelimitedMatcher;
  test: (line: string) => boolean;
} {
  const slots: Slot[] = pattern.fields.map((f) =>
    f.kind === 'ellipsis'
      ? { ellipsis: true, name: undefined, test: undefined }
      : { ellipsis: false, name: f.name, test: f.condition ? compileCondition(f.condition) : undefined },
  );
  const fixed = slots.filter((s) => !s.ellipsis).length;
  const hasEllipsis = fixed < slots.length;

  /** For each slot, the index of the first event field it covers. */
  const assign = new Int32Array(slots.length + 1);

  const place = (fields: string[]): boolean => {
    const n = fields.length;
    if (hasEllipsis ? n < fixed : n !== fixed) return false;
    if (!hasEllipsis) {
      for (let k = 0; k < n; k++) {
        const t = slots[k]?.test;
        if (t && !t(fields[k] ?? '')) return false;
        assign[k] = k;
      }
      return true;
    }
    // Glob matching with `...` as the star: on a mismatch only the most recent `...` needs to absorb
    // one more field, so this is O(slots × fields) in time and needs no memory.
    let si = 0;
    let fi = 0;
    let starSi = -1;
    let starFi = 0;
    while (fi < n) {
      const slot = slots[si];
      if (slot && !slot.ellipsis && (!slot.test || slot.test(fields[fi] ?? ''))) {
        assign[si++] = fi++;
      } else if (slot?.ellipsis) {
        starSi = si;
        starFi = fi;
        assign[si++] = fi;
      } else if (starSi >= 0) {
        si = starSi + 1;
        fi = ++starFi;
      } else return false;
    }
    while (slots[si]?.ellipsis) assign[si++] = n;
    return si === slots.length;
  };

  const match: DelimitedMatcher = (line) => {
    const fields = splitFields(line);
    if (!place(fields)) return undefined;
    const out: Record<string, string> = {};
    assign[slots.length] = fields.length;
    for (let si = 0; si < slots.length; si++) {
      const slot = slots[si];
      const from = assign[si] ?? 0;
      const to = slot?.ellipsis ? (assign[si + 1] ?? from) : from + 1;
      for (let fi = from; fi < to; fi++) {
        const key = slot?.name !== undefined ? `$${slot.name}` : `$${fi + 1}`;
        out[key] = fields[fi] ?? '';
      }
    }
    return out;
  };
  return { match, test: (line) => place(splitFields(line)) };
}

function compileCondition(cond: FieldCondition): FieldTest {
  switch (cond.kind) {
    case 'and': {
      const l = compileCondition(cond.left);
      const r = compileCondition(cond.right);
      return (t) => l(t) && r(t);
    }
    case 'or': {
      const l = compileCondition(cond.left);
      const r = compileCondition(cond.right);
      return (t) => l(t) || r(t);
    }
    case 'present':
      return () => true;
    case 'compare': {
      const test: ValueTest = compileComparison(cond.op, cond.value);
      return (t) => test(t, strictNumber(t));
    }
  }
}
