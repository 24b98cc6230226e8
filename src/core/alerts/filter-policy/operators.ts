/**
 * One entry of a policy's match list, checked and turned into a test: exact strings, numbers,
 * booleans and null, and the operators `prefix`, `suffix`, `equals-ignore-case`, `wildcard`,
 * `anything-but`, `numeric`, `exists` and `cidr`. Error wording follows what SNS answers where known.
 */
import { policyError } from './errors.ts';
import { cidrContains, parseCidr, parseIp } from './ip.ts';
import type { Scalar } from './types.ts';

export type ValueMatcher =
  | { readonly kind: 'exists'; readonly exists: boolean }
  | { readonly kind: 'test'; readonly test: (value: Scalar) => boolean };

type Path = readonly (string | number)[];

/** Operator names: an object using one of these is a match expression, never a nested property. */
export const OPERATORS = new Set([
  'prefix',
  'suffix',
  'equals-ignore-case',
  'wildcard',
  'anything-but',
  'numeric',
  'exists',
  'cidr',
]);

/** SNS compares numbers between -10^9 and 10^9 with five digits after the decimal point. */
export const NUMBER_LIMIT = 1e9;
const canonical = (n: number) => Math.round(n * 1e5);

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function checkNumber(n: number, at: Path): number {
  if (!Number.isFinite(n)) throw policyError(at, 'Match value must be String, number, true, false, or null');
  if (Math.abs(n) > NUMBER_LIMIT) throw policyError(at, `${n} is outside the supported range -1e9 to 1e9`);
  return canonical(n);
}

function requireString(value: unknown, operator: string, at: Path): string {
  if (typeof value !== 'string') throw policyError(at, `${operator} match pattern must be a string`);
  return value;
}

const test = (fn: (value: Scalar) => boolean): ValueMatcher => ({ kind: 'test', test: fn });
const onStrings = (fn: (s: string) => boolean) => test((v) => typeof v === 'string' && fn(v));

export function compileMatchValue(entry: unknown, at: Path): ValueMatcher {
  if (typeof entry === 'string') return test((v) => v === entry);
  if (typeof entry === 'number') {
    const n = checkNumber(entry, at);
    return test((v) => typeof v === 'number' && canonical(v) === n);
  }
  if (typeof entry === 'boolean' || entry === null) return test((v) => v === entry);
  if (!isPlainObject(entry)) throw policyError(at, 'Match value must be String, number, true, false, or null');
  const keys = Object.keys(entry);
  if (keys.length !== 1) throw policyError(at, 'Only one key allowed in match expression');
  const operator = keys[0] ?? '';
  const operand = entry[operator];
  const where = [...at, operator];
  switch (operator) {
    case 'prefix': {
      const prefix = requireString(operand, operator, where);
      return onStrings((s) => s.startsWith(prefix));
    }
    case 'suffix': {
      const suffix = requireString(operand, operator, where);
      return onStrings((s) => s.endsWith(suffix));
    }
    case 'equals-ignore-case': {
      const wanted = requireString(operand, operator, where).toLowerCase();
      return onStrings((s) => s.toLowerCase() === wanted);
    }
    case 'wildcard':
      return onStrings(compileWildcard(requireString(operand, operator, where), where));
    case 'exists':
      if (typeof operand !== 'boolean') throw policyError(where, 'exists match pattern must be either true or false.');
      return { kind: 'exists', exists: operand };
    case 'cidr': {
      const block = parseCidr(requireString(operand, operator, where));
      if (typeof block === 'string') throw policyError(where, block);
      return onStrings((s) => {
        const ip = parseIp(s);
        return ip !== null && cidrContains(block, ip);
      });
    }
    case 'numeric': {
      const holds = compileNumeric(operand, where);
      return test((v) => typeof v === 'number' && holds(canonical(v)));
    }
    case 'anything-but':
      return compileAnythingBut(operand, where);
    default:
      throw policyError(at, `Unrecognized match type ${operator}`);
  }
}

const RANGE_OPERATORS = new Set(['=', '<', '<=', '>', '>=']);

function compare(operator: string, value: number, bound: number): boolean {
  if (operator === '=') return value === bound;
  if (operator === '<') return value < bound;
  if (operator === '<=') return value <= bound;
  if (operator === '>') return value > bound;
  return value >= bound;
}

/** `[op, n]` or `[">"|">=", low, "<"|"<=", high]`, compared on canonical (5-decimal) numbers. */
function compileNumeric(spec: unknown, at: Path): (value: number) => boolean {
  if (!Array.isArray(spec) || spec.length === 0) throw policyError(at, 'numeric match must be a non-empty array');
  const [op1, v1, op2, v2, ...rest] = spec as unknown[];
  if (typeof op1 !== 'string') throw policyError(at, `Invalid member in numeric match: ${JSON.stringify(op1)}`);
  if (!RANGE_OPERATORS.has(op1)) throw policyError(at, `Unrecognized numeric range operator: ${op1}`);
  if (typeof v1 !== 'number') throw policyError(at, `Value of ${op1 === '=' ? 'equals' : op1} must be numeric`);
  const low = checkNumber(v1, at);
  if (spec.length === 2) return (value) => compare(op1, value, low);
  if (op1 !== '>' && op1 !== '>=') throw policyError(at, 'Too many elements in numeric expression');
  if (typeof op2 !== 'string') throw policyError(at, `Bad value in numeric range: ${JSON.stringify(op2)}`);
  if (op2 !== '<' && op2 !== '<=') throw policyError(at, `Bad numeric range operator: ${op2}`);
  if (typeof v2 !== 'number') throw policyError(at, `Value of ${op2} must be numeric`);
  const high = checkNumber(v2, at);
  if (v2 <= v1) throw policyError(at, 'Bottom must be less than top');
  if (rest.length > 0) throw policyError(at, 'Too many terms in numeric range expression');
  return (value) => compare(op1, value, low) && compare(op2, value, high);
}

const ANYTHING_BUT_PATTERNS = new Set(['prefix', 'suffix', 'wildcard']);

function compileAnythingBut(operand: unknown, at: Path): ValueMatcher {
  if (isPlainObject(operand)) {
    const keys = Object.keys(operand);
    const pattern = keys[0] ?? '';
    if (keys.length !== 1 || !ANYTHING_BUT_PATTERNS.has(pattern)) {
      throw policyError(at, `Unsupported anything-but pattern: ${keys.join(', ') || '{}'}`);
    }
    const inner = compileMatchValue(operand, at);
    // A string that the inner pattern does not match; numbers and literals never start with a prefix.
    return onStrings((s) => inner.kind === 'test' && !inner.test(s));
  }
  const items = Array.isArray(operand) ? operand : [operand];
  if (items.length === 0) throw policyError(at, 'anything-but list must not be empty');
  const strings = new Set<string>();
  const numbers = new Set<number>();
  for (const [i, item] of items.entries()) {
    const where = Array.isArray(operand) ? [...at, i] : at;
    if (typeof item === 'string') strings.add(item);
    else if (typeof item === 'number') numbers.add(checkNumber(item, where));
    else throw policyError(where, 'anything-but takes strings or numbers, or one prefix, suffix or wildcard pattern');
  }
  return test((v) =>
    typeof v === 'string' ? !strings.has(v) : typeof v === 'number' ? !numbers.has(canonical(v)) : false,
  );
}

/** `*` matches any run of characters; `\*` and `\\` stand for themselves. */
function compileWildcard(pattern: string, at: Path): (s: string) => boolean {
  const chunks: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      const next = pattern[i + 1];
      if (next !== '*' && next !== '\\') throw policyError(at, 'wildcard: a backslash must escape * or \\');
      current += next;
      i++;
    } else if (c === '*') {
      if (pattern[i + 1] === '*') throw policyError(at, 'wildcard: consecutive wildcard characters are not allowed');
      chunks.push(current);
      current = '';
    } else {
      current += c;
    }
  }
  chunks.push(current);
  const [first = '', ...others] = chunks;
  if (others.length === 0) return (s) => s === first;
  const last = others.pop() ?? '';
  return (s) => {
    if (s.length < first.length + last.length || !s.startsWith(first) || !s.endsWith(last)) return false;
    let position = first.length;
    const end = s.length - last.length;
    for (const chunk of others) {
      const found = s.indexOf(chunk, position);
      if (found < 0 || found + chunk.length > end) return false;
      position = found + chunk.length;
    }
    return true;
  };
}
