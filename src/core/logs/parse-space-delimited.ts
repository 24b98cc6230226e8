import { Cursor } from './lexer.ts';
import { parseRegex } from './regex-parse.ts';
import type { DelimitedField, FieldCondition, SpaceDelimitedPattern } from './types.ts';

/**
 * `[ip, user, ..., status_code = 4* && status_code != 403, bytes > 1000]`: comma-separated fields, each a
 * name with an optional condition (`=`, `!=`, `<`, `<=`, `>`, `>=`, combined with `&&` / `||` and
 * parentheses, `&&` binding tighter), `...` for any number of fields (several allowed), or nothing
 * (`[a, , b]`, a trailing comma) for an unnamed field. A condition may only test its own field.
 */
const NAME = /[A-Za-z0-9_-]/;
const MAX_DEPTH = 32;
export const MAX_REGEXES = 2;

export function parseSpaceDelimited(src: string, start: number): SpaceDelimitedPattern {
  const c = new Cursor(src, start);
  const open = c.pos;
  c.pos++; // '['
  const fields: DelimitedField[] = [];
  const names = new Set<string>();
  const regexes = { count: 0 };
  for (;;) {
    c.skipSpace();
    const column = c.column;
    if (c.eof()) throw c.fail("expected ']' to close the space-delimited pattern");
    if (c.at('...')) {
      c.pos += 3;
      fields.push({ kind: 'ellipsis', column });
    } else if (c.peek() === ',' || c.peek() === ']') {
      fields.push({ kind: 'field', name: undefined, condition: undefined, column });
    } else {
      const field = parseField(c, regexes);
      if (field.name !== undefined) {
        if (names.has(field.name)) throw c.fail(`the field name '${field.name}' is used twice`, column - 1);
        names.add(field.name);
      }
      fields.push(field);
    }
    c.skipSpace();
    if (c.peek() === ',') {
      c.pos++;
      continue;
    }
    if (c.peek() === ']') {
      c.pos++;
      break;
    }
    throw c.fail(
      c.eof() ? "expected ']' to close the space-delimited pattern" : `expected ',' or ']' but found ${c.found()}`,
    );
  }
  if (
    fields.length === 1 &&
    fields[0]?.kind === 'field' &&
    fields[0].name === undefined &&
    src.charAt(c.pos - 1) === ']'
  ) {
    if (/^\[\s*\]$/.test(src.slice(open, c.pos)))
      throw c.fail('a space-delimited pattern needs at least one field', open);
  }
  c.skipSpace();
  if (!c.eof()) throw c.fail(`unexpected ${c.found()} after the space-delimited pattern`);
  return { kind: 'space-delimited', fields };
}

type NamedField = Extract<DelimitedField, { kind: 'field' }>;

function parseField(c: Cursor, regexes: { count: number }): NamedField {
  const column = c.column;
  const condition = orExpr(c, regexes, 0);
  const leaves = leafNames(condition);
  const name = leaves[0]?.name ?? '';
  for (const leaf of leaves) {
    if (leaf.name !== name) {
      throw c.fail(`a field's conditions must all test that field: '${leaf.name}' is not '${name}'`, leaf.column - 1);
    }
  }
  return { kind: 'field', name, condition: condition.kind === 'present' ? undefined : condition, column };
}

function orExpr(c: Cursor, regexes: { count: number }, depth: number): FieldCondition {
  let left = andExpr(c, regexes, depth);
  for (c.skipSpace(); c.at('||'); c.skipSpace()) {
    c.pos += 2;
    left = { kind: 'or', left, right: andExpr(c, regexes, depth) };
  }
  return left;
}

function andExpr(c: Cursor, regexes: { count: number }, depth: number): FieldCondition {
  let left = primary(c, regexes, depth);
  for (c.skipSpace(); c.at('&&'); c.skipSpace()) {
    c.pos += 2;
    left = { kind: 'and', left, right: primary(c, regexes, depth) };
  }
  return left;
}

function primary(c: Cursor, regexes: { count: number }, depth: number): FieldCondition {
  c.skipSpace();
  if (c.peek() === '(') {
    if (depth >= MAX_DEPTH) throw c.fail(`parentheses nest deeper than ${MAX_DEPTH} levels`);
    const open = c.pos;
    c.pos++;
    const inner = orExpr(c, regexes, depth + 1);
    c.skipSpace();
    if (c.peek() !== ')') throw c.fail(`expected ')' to close the '(' at column ${open + 1} but found ${c.found()}`);
    c.pos++;
    return inner;
  }
  const column = c.column;
  const start = c.pos;
  while (!c.eof() && NAME.test(c.peek())) c.pos++;
  const name = c.src.slice(start, c.pos);
  if (name.length === 0) throw c.fail(`expected a field name but found ${c.found()}`);
  c.skipSpace();
  const op = c.readOperator();
  if (!op) return { kind: 'present', name, column };
  const value = c.readOperand(op, ',])');
  if (value.kind === 'regex') {
    if (++regexes.count > MAX_REGEXES) {
      throw c.fail(`a space-delimited pattern may use at most ${MAX_REGEXES} regular expressions`, value.column - 2);
    }
    parseRegex(value.source, value.column);
  }
  return { kind: 'compare', name, op, value, column };
}

function leafNames(cond: FieldCondition): { name: string; column: number }[] {
  if (cond.kind === 'compare' || cond.kind === 'present') return [{ name: cond.name, column: cond.column }];
  return [...leafNames(cond.left), ...leafNames(cond.right)];
}
