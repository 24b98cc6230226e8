import { describe, expect, it } from 'vitest';
import { CairnError } from '../errors.ts';
import { compileFilterPattern, INVALID_FILTER_PATTERN, parseFilterPattern } from './index.ts';

const errorOf = (pattern: string): CairnError => {
  try {
    parseFilterPattern(pattern);
  } catch (e) {
    if (e instanceof CairnError) return e;
    throw e;
  }
  throw new Error(`expected ${JSON.stringify(pattern)} to be refused`);
};

describe('filter pattern syntax errors', () => {
  it('are invalid CairnErrors whose message and details give the column and the reason', () => {
    const e = errorOf('[ip, user, ab');
    expect(e.code).toBe(INVALID_FILTER_PATTERN);
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe("column 14: expected ']' to close the space-delimited pattern");
    expect(e.details).toEqual({ column: 14, reason: "expected ']' to close the space-delimited pattern" });
  });

  it.each([
    // space-delimited
    ['[ip user]', "column 5: expected ',' or ']' but found 'u'"],
    ['[]', 'column 1: a space-delimited pattern needs at least one field'],
    ['[a, a]', "column 5: the field name 'a' is used twice"],
    ['[a = ]', "column 6: expected a value after '=' but found ']'"],
    ['[a > x]', `column 6: '>' compares numbers, and "x" is not a number`],
    ['[a = 1 && b = 2]', "column 11: a field's conditions must all test that field: 'b' is not 'a'"],
    ['[(a = 1, b]', "column 8: expected ')' to close the '(' at column 2 but found ','"],
    ['[a == 1]', "column 4: '==' is not an operator: use '='"],
    ['[a] x', "column 5: unexpected 'x' after the space-delimited pattern"],
    ['[a = %x%, b = %y%, c = %z%]', 'column 24: a space-delimited pattern may use at most 2 regular expressions'],
    ['[a = %x(%]', 'column 8: in regular expression: parentheses are not supported'],
    ['[=1]', "column 2: expected a field name but found '='"],
    ['[a < %x%]', "column 6: a regular expression can only follow '=' or '!=', not '<'"],
    // JSON
    ['{ $.a = 1', "column 10: expected '}' to close the JSON pattern opened at column 1"],
    ['{}', 'column 1: a JSON pattern needs a condition between its braces'],
    ['{ a = 1 }', "column 3: expected a selector starting with '$' but found 'a'"],
    ['{ $ = 1 }', "column 4: expected '.' and a property name after '$' but found ' '"],
    ['{ $[0] = 1 }', "column 4: an array index must follow a property, as in '$.list[0]'"],
    ['{ $.a[x] = 1 }', "column 6: expected an array index such as '[0]' or '[*]'"],
    ['{ $.a. = 1 }', "column 7: expected a property name after '.' but found ' '"],
    ['{ $.a IS MAYBE }', 'column 10: expected TRUE, FALSE or NULL after IS'],
    ['{ $.a NOT THERE }', 'column 11: expected EXISTS after NOT'],
    ['{ $.a }', "column 7: expected an operator (=, !=, <, <=, >, >=, IS, NOT EXISTS) after $.a but found '}'"],
    ['{ $.a < "x" }', `column 9: '<' compares numbers, and "x" is not a number`],
    ['{ $.a = 1 } extra', "column 13: unexpected 'e' after the JSON pattern"],
    ['{ ($.a = 1 }', "column 12: expected ')' to close the '(' at column 3 but found '}'"],
    ['{ $.a = 1 $.b = 2 }', "column 11: expected '&&', '||' or '}' but found '$'"],
    ['{ $.a = "x }', "column 9: unterminated quoted string: expected a closing '\"'"],
    ['{ $.a = %x% || $.b = %y% || $.c = %z% }', 'column 35: a JSON pattern may use at most 2 regular expressions'],
    // terms
    ['ERROR "unterminated', 'column 7: unterminated quoted string'],
    ['ERROR -', "column 8: expected a term after '-'"],
    ['?', "column 2: expected a term after '?'"],
    ['ERROR %abc', "column 7: unterminated regular expression: expected a closing '%'"],
  ])('refuses %s', (pattern, message) => {
    expect(errorOf(pattern).message).toContain(message);
  });

  it('refuses patterns longer than AWS allows (1024 characters)', () => {
    expect(() => compileFilterPattern('a'.repeat(1024))).not.toThrow();
    expect(errorOf('a'.repeat(1025)).message).toBe('column 1025: the filter pattern is longer than 1024 characters');
  });

  it('refuses parentheses nested too deep instead of overflowing the stack', () => {
    const deep = `{ ${'('.repeat(40)}$.a = 1${')'.repeat(40)} }`;
    expect(errorOf(deep).message).toContain('parentheses nest deeper than 32 levels');
    expect(() => compileFilterPattern(`{ ${'('.repeat(30)}$.a = 1${')'.repeat(30)} }`)).not.toThrow();
  });

  it('refuses a pattern that is not a string', () => {
    expect(errorOf(42 as unknown as string).message).toBe('column 1: the filter pattern must be a string');
  });
});
