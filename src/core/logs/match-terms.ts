import { compileRegex } from './regex-match.ts';
import { parseRegex } from './regex-parse.ts';
import type { Term, TermsPattern } from './types.ts';

export type LineTest = (line: string) => boolean;

export interface CompiledTerms {
  readonly test: LineTest;
  /** A substring every matching line contains, for skipping through a large text with indexOf. */
  readonly anchor: string | undefined;
  /** The pattern is that one text term: a line matches exactly when it contains the anchor. */
  readonly anchorDecides: boolean;
}

/** Compiles unstructured terms: `includes` for text (case-sensitive), the linear NFA for `%regex%`. */
export function compileTerms(pattern: TermsPattern): CompiledTerms {
  const groups = pattern.groups.map((g) => compileGroup(g.include, g.exclude));
  const only = pattern.groups.length === 1 ? pattern.groups[0] : undefined;
  let anchor: string | undefined;
  for (const t of only?.include ?? []) {
    if (t.kind === 'text' && t.text.length > (anchor?.length ?? 0) && !t.text.includes('\n')) anchor = t.text;
  }
  const anchorDecides = only?.exclude.length === 0 && only.include.length === 1 && anchor !== undefined;
  if (groups.length === 1) return { test: groups[0] ?? (() => true), anchor, anchorDecides };
  return { test: (line) => groups.some((g) => g(line)), anchor, anchorDecides };
}

function termTest(term: Term): LineTest {
  if (term.kind === 'regex') return compileRegex(parseRegex(term.source, term.column));
  const text = term.text;
  return (line) => line.includes(text);
}

function compileGroup(include: readonly Term[], exclude: readonly Term[]): LineTest {
  // Plain text first (cheapest), regexes last.
  const ordered = [...include].sort((a, b) => (a.kind === 'regex' ? 1 : 0) - (b.kind === 'regex' ? 1 : 0));
  const must = ordered.map(termTest);
  const mustNot = exclude.map(termTest);
  if (mustNot.length === 0 && must.length === 1) {
    const only = ordered[0];
    if (only?.kind === 'text') {
      const text = only.text;
      return (line) => line.includes(text);
    }
  }
  return (line) => {
    for (const t of must) if (!t(line)) return false;
    for (const t of mustNot) if (t(line)) return false;
    return true;
  };
}
