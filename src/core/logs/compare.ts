import { compileRegex } from './regex-match.ts';
import { parseRegex } from './regex-parse.ts';
import type { ComparisonOperator, Operand } from './types.ts';

/**
 * A compiled comparison `<value> op operand`, shared by space-delimited fields and JSON values. The value
 * arrives as its text and, when it spells a number, that number.
 *
 * - number operand: a numeric value compares numerically with all six operators; a non-numeric value is
 *   never `=` and always `!=` the number, and never `<`/`>` it.
 * - string operand (`=`/`!=` only): exact, or with a leading/trailing `*` wildcard.
 * - regex operand (`=`/`!=` only): does the regex find a match in the value.
 */
export type ValueTest = (text: string, num: number | undefined) => boolean;

export function compileComparison(op: ComparisonOperator, operand: Operand): ValueTest {
  if (operand.kind === 'number') return numberTest(op, operand.value);
  const positive =
    operand.kind === 'regex' ? compileRegex(parseRegex(operand.source, operand.column)) : wildcard(operand);
  return op === '!=' ? (text) => !positive(text) : (text) => positive(text);
}

function numberTest(op: ComparisonOperator, x: number): ValueTest {
  switch (op) {
    case '=':
      return (_t, n) => n !== undefined && n === x;
    case '!=':
      return (_t, n) => n === undefined || n !== x;
    case '<':
      return (_t, n) => n !== undefined && n < x;
    case '<=':
      return (_t, n) => n !== undefined && n <= x;
    case '>':
      return (_t, n) => n !== undefined && n > x;
    case '>=':
      return (_t, n) => n !== undefined && n >= x;
  }
}

function wildcard(operand: Extract<Operand, { kind: 'string' }>): (text: string) => boolean {
  const { core, anyPrefix, anySuffix } = operand;
  if (anyPrefix && anySuffix) return (t) => t.includes(core);
  if (anyPrefix) return (t) => t.endsWith(core);
  if (anySuffix) return (t) => t.startsWith(core);
  return (t) => t === core;
}
