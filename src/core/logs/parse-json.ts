import { Cursor } from './lexer.ts';
import { parseRegex } from './regex-parse.ts';
import type { JsonExpression, JsonPattern, JsonSelector, PathSegment } from './types.ts';
import { MAX_REGEXES } from './parse-space-delimited.ts';

/**
 * `{ $.a.b[0] = "x" && ($.n > 5 || $.f IS TRUE) }`: selectors start at `$`, then `.name` (letters,
 * digits, `-`, `_`) or `[index]`, an index following a property; `.*` / `[*]` select any property or
 * element. Conditions: `=`/`!=` with a string, number or `%regex%`; `<`, `<=`, `>`, `>=` with a number;
 * `IS TRUE`, `IS FALSE`, `IS NULL`, `NOT EXISTS`. `&&` binds tighter than `||`; parentheses group.
 */
const KEY = /[A-Za-z0-9_-]/;
const MAX_DEPTH = 32;

export function parseJson(src: string, start: number): JsonPattern {
  const c = new Cursor(src, start);
  const open = c.pos;
  c.pos++; // '{'
  const state = { regexes: 0 };
  c.skipSpace();
  if (c.peek() === '}') throw c.fail('a JSON pattern needs a condition between its braces', open);
  const expression = orExpr(c, state, 0);
  c.skipSpace();
  if (c.peek() !== '}') {
    throw c.fail(
      c.eof()
        ? `expected '}' to close the JSON pattern opened at column ${open + 1}`
        : `expected '&&', '||' or '}' but found ${c.found()}`,
    );
  }
  c.pos++;
  c.skipSpace();
  if (!c.eof()) throw c.fail(`unexpected ${c.found()} after the JSON pattern`);
  return { kind: 'json', expression };
}

type State = { regexes: number };

function orExpr(c: Cursor, s: State, depth: number): JsonExpression {
  let left = andExpr(c, s, depth);
  for (c.skipSpace(); c.at('||'); c.skipSpace()) {
    c.pos += 2;
    left = { kind: 'or', left, right: andExpr(c, s, depth) };
  }
  return left;
}

function andExpr(c: Cursor, s: State, depth: number): JsonExpression {
  let left = primary(c, s, depth);
  for (c.skipSpace(); c.at('&&'); c.skipSpace()) {
    c.pos += 2;
    left = { kind: 'and', left, right: primary(c, s, depth) };
  }
  return left;
}

function primary(c: Cursor, s: State, depth: number): JsonExpression {
  c.skipSpace();
  if (c.peek() === '(') {
    if (depth >= MAX_DEPTH) throw c.fail(`parentheses nest deeper than ${MAX_DEPTH} levels`);
    const open = c.pos;
    c.pos++;
    const inner = orExpr(c, s, depth + 1);
    c.skipSpace();
    if (c.peek() !== ')') throw c.fail(`expected ')' to close the '(' at column ${open + 1} but found ${c.found()}`);
    c.pos++;
    return inner;
  }
  const selector = readSelector(c);
  c.skipSpace();
  const keywordAt = c.pos;
  const word = readWord(c).toUpperCase();
  if (word === 'IS') {
    c.skipSpace();
    const valueAt = c.pos;
    const what = readWord(c).toUpperCase();
    if (what === 'TRUE' || what === 'FALSE' || what === 'NULL') {
      return { kind: 'is', selector, value: what === 'NULL' ? null : what === 'TRUE' };
    }
    throw c.fail(`expected TRUE, FALSE or NULL after IS`, valueAt);
  }
  if (word === 'NOT') {
    c.skipSpace();
    const existsAt = c.pos;
    if (readWord(c).toUpperCase() === 'EXISTS') return { kind: 'not-exists', selector };
    throw c.fail('expected EXISTS after NOT', existsAt);
  }
  c.pos = keywordAt;
  const op = c.readOperator();
  if (!op)
    throw c.fail(
      `expected an operator (=, !=, <, <=, >, >=, IS, NOT EXISTS) after ${selector.text} but found ${c.found()}`,
    );
  const value = c.readOperand(op, ')}');
  if (value.kind === 'regex') {
    if (++s.regexes > MAX_REGEXES) {
      throw c.fail(`a JSON pattern may use at most ${MAX_REGEXES} regular expressions`, value.column - 2);
    }
    parseRegex(value.source, value.column);
  }
  return { kind: 'compare', selector, op, value };
}

function readWord(c: Cursor): string {
  const start = c.pos;
  while (/[A-Za-z]/.test(c.peek())) c.pos++;
  return c.src.slice(start, c.pos);
}

/** `$.name`, `$.a.b`, `$.list[0].id`, `$.grid[0][1]`, `$.*`, `$.list[*]`. */
export function readSelector(c: Cursor): JsonSelector {
  const start = c.pos;
  if (c.peek() !== '$') throw c.fail(`expected a selector starting with '$' but found ${c.found()}`);
  c.pos++;
  const path: PathSegment[] = [];
  for (;;) {
    if (c.peek() === '.') {
      c.pos++;
      if (c.peek() === '*') {
        c.pos++;
        path.push({ kind: 'any' });
        continue;
      }
      const keyStart = c.pos;
      while (!c.eof() && KEY.test(c.peek())) c.pos++;
      if (c.pos === keyStart) throw c.fail(`expected a property name after '.' but found ${c.found()}`);
      path.push({ kind: 'key', key: c.src.slice(keyStart, c.pos) });
    } else if (c.peek() === '[') {
      if (path.length === 0) throw c.fail("an array index must follow a property, as in '$.list[0]'");
      const m = /^\[(\d{1,9}|\*)\]/.exec(c.src.slice(c.pos, c.pos + 12));
      if (!m) throw c.fail("expected an array index such as '[0]' or '[*]'");
      path.push(m[1] === '*' ? { kind: 'any' } : { kind: 'index', index: Number(m[1]) });
      c.pos += m[0].length;
    } else break;
  }
  if (path.length === 0) throw c.fail(`expected '.' and a property name after '$' but found ${c.found()}`);
  return { text: c.src.slice(start, c.pos), path, column: start + 1 };
}
