import type { CairnError } from '../errors.ts';
import { patternError } from './errors.ts';
import type { ComparisonOperator, Operand } from './types.ts';

/** A number as AWS writes it: optional sign, integer or decimal, optional exponent (`1e3`, `-1.5E-2`). */
const NUMBER = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a text spells exactly, or undefined (no trimming, no hex, no `Infinity`). */
export function strictNumber(text: string): number | undefined {
  if (text.length === 0 || text.length > 400 || !NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isNaN(n) ? undefined : n;
}

export const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/**
 * A position in the pattern with the few token readers the three sub-languages share. Every failure is
 * a pattern error carrying the 1-based column.
 */
export class Cursor {
  pos: number;
  constructor(
    readonly src: string,
    start = 0,
  ) {
    this.pos = start;
  }

  get column(): number {
    return this.pos + 1;
  }
  eof(): boolean {
    return this.pos >= this.src.length;
  }
  /** The character at the cursor (plus an offset), or '' past the end. */
  peek(offset = 0): string {
    return this.src.charAt(this.pos + offset);
  }
  at(text: string): boolean {
    return this.src.startsWith(text, this.pos);
  }
  skipSpace(): void {
    while (this.pos < this.src.length && isSpace(this.src.charAt(this.pos))) this.pos++;
  }
  fail(reason: string, pos = this.pos): CairnError {
    return patternError(pos + 1, reason);
  }
  /** Describes the character at the cursor for an error message. */
  found(): string {
    return this.eof() ? 'the end of the pattern' : `'${this.peek()}'`;
  }

  /** Reads `"..."` at the cursor; `\"` and `\\` are escapes, any other backslash is kept as written. */
  readQuoted(): string {
    const open = this.pos;
    this.pos++;
    let out = '';
    while (this.pos < this.src.length) {
      const c = this.src.charAt(this.pos);
      if (c === '"') {
        this.pos++;
        return out;
      }
      if (c === '\\' && (this.peek(1) === '"' || this.peek(1) === '\\')) {
        out += this.peek(1);
        this.pos += 2;
        continue;
      }
      out += c;
      this.pos++;
    }
    throw this.fail("unterminated quoted string: expected a closing '\"'", open);
  }

  /** Reads `%regex%` at the cursor and returns the source between the percent signs. */
  readRegex(): { source: string; column: number } {
    const open = this.pos;
    const close = this.src.indexOf('%', open + 1);
    if (close < 0) throw this.fail("unterminated regular expression: expected a closing '%'", open);
    this.pos = close + 1;
    return { source: this.src.slice(open + 1, close), column: open + 2 };
  }

  /** Reads a comparison operator, or returns undefined when none is at the cursor. */
  readOperator(): ComparisonOperator | undefined {
    for (const op of ['!=', '<=', '>=', '=', '<', '>'] as const) {
      if (this.at(op)) {
        if (op === '=' && this.peek(1) === '=') throw this.fail("'==' is not an operator: use '='");
        this.pos += op.length;
        return op;
      }
    }
    return undefined;
  }

  /**
   * Reads the value after a comparison operator: `"quoted"`, `%regex%`, a number or a bare word. A bare
   * word ends at white space, `&&`, `||` or one of `stops`.
   */
  readOperand(op: ComparisonOperator, stops: string): Operand {
    this.skipSpace();
    const start = this.pos;
    if (this.peek() === '%') {
      if (op !== '=' && op !== '!=') throw this.fail(`a regular expression can only follow '=' or '!=', not '${op}'`);
      const re = this.readRegex();
      return { kind: 'regex', source: re.source, column: re.column };
    }
    let text: string;
    let quoted = false;
    if (this.peek() === '"') {
      text = this.readQuoted();
      quoted = true;
    } else {
      while (!this.eof()) {
        const c = this.peek();
        if (isSpace(c) || stops.includes(c) || this.at('&&') || this.at('||')) break;
        this.pos++;
      }
      text = this.src.slice(start, this.pos);
      if (text.length === 0) throw this.fail(`expected a value after '${op}' but found ${this.found()}`);
    }
    const n = quoted ? undefined : strictNumber(text);
    if (n !== undefined) return { kind: 'number', value: n, text };
    if (op !== '=' && op !== '!=')
      throw this.fail(`'${op}' compares numbers, and ${JSON.stringify(text)} is not a number`, start);
    return stringOperand(text);
  }
}

/** A string operand: `*` at either end is a wildcard (`*Event`, `Event*`, `*html*`), elsewhere literal. */
export function stringOperand(text: string): Operand {
  const anyPrefix = text.startsWith('*');
  const anySuffix = text.length > (anyPrefix ? 1 : 0) && text.endsWith('*');
  const core = text.slice(anyPrefix ? 1 : 0, anySuffix ? -1 : undefined);
  return { kind: 'string', text, core, anyPrefix, anySuffix };
}
