import { Cursor, isSpace } from './lexer.ts';
import { parseRegex } from './regex-parse.ts';
import type { Term, TermGroup, TermsPattern } from './types.ts';

/**
 * Unstructured terms: `ERROR`, `"exact phrase"`, `%regex%`, all of which must appear (case-sensitive
 * substrings); `-term` excludes; `?term` starts an alternative. With `?`, the pattern is the OR of its
 * groups, each group being a `?term` and the unmarked terms after it (how the CDK's `anyTermGroup`
 * renders `?"ERROR" "MainThread" ?"WARN" "Deadlock"`); unmarked terms before the first `?` form a group
 * of their own. A `-` or `?` may be separated from its term by spaces (AWS's example `"ERROR" - "Exiting"`).
 */
export function parseTerms(src: string, start: number): TermsPattern {
  const c = new Cursor(src, start);
  const groups: { include: Term[]; exclude: Term[] }[] = [];
  let group: { include: Term[]; exclude: Term[] } | undefined;
  for (c.skipSpace(); !c.eof(); c.skipSpace()) {
    let or = false;
    let exclude = false;
    const markAt = c.pos;
    if (c.peek() === '?') {
      or = true;
      c.pos++;
      c.skipSpace();
    }
    if (c.peek() === '-') {
      exclude = true;
      c.pos++;
      c.skipSpace();
    }
    if (c.eof()) throw c.fail(`expected a term after '${src.charAt(markAt)}'`);
    const term = readTerm(c);
    if (or || !group) {
      group = { include: [], exclude: [] };
      groups.push(group);
    }
    (exclude ? group.exclude : group.include).push(term);
  }
  return { kind: 'terms', groups: groups as TermGroup[] };
}

function readTerm(c: Cursor): Term {
  const column = c.column;
  if (c.peek() === '"') return { kind: 'text', text: c.readQuoted(), column };
  if (c.peek() === '%') {
    const re = c.readRegex();
    parseRegex(re.source, re.column); // report syntax errors now, not at the first event
    return { kind: 'regex', source: re.source, column: re.column };
  }
  const start = c.pos;
  while (!c.eof() && !isSpace(c.peek())) c.pos++;
  return { kind: 'text', text: c.src.slice(start, c.pos), column };
}
