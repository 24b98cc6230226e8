import { patternError } from './errors.ts';

/**
 * Parses AWS's regex subset for filter patterns (`%...%`): letters, digits, the symbols `: _ # = @ / ; , -`
 * (and the space), the operators `^ $ ? [ ] { } | \ * + .`; no parentheses, no multi-byte characters.
 * Without groups an expression is a list of alternatives, each a sequence of quantified character
 * classes, which regex-match.ts runs as an NFA in time linear in the line: no catastrophic backtracking.
 */

/** Membership of the 128 ASCII code units, and whether any non-ASCII unit belongs. */
export interface CharClass {
  readonly ascii: Uint8Array;
  readonly other: boolean;
}

export interface RegexItem {
  readonly cls: CharClass;
  readonly min: number;
  /** Infinity for `*`, `+` and `{n,}`. */
  readonly max: number;
  /** The character when the class is a single literal (used to find a substring every match contains). */
  readonly literal: string | undefined;
}

export interface RegexAlternative {
  readonly anchoredStart: boolean;
  readonly anchoredEnd: boolean;
  readonly items: readonly RegexItem[];
}

export interface RegexProgram {
  readonly source: string;
  readonly alternatives: readonly RegexAlternative[];
}

const SYMBOLS = ':_#=@/;,- ';
const OPERATORS = '^$?[]{}|\\*+.';
/** Bounds that keep the expanded automaton small whatever the pattern. */
const MAX_REPEAT = 1000;
const MAX_POSITIONS = 1000;

const isAlnum = (c: string): boolean => /^[A-Za-z0-9]$/.test(c);

function classOf(chars: string, negate = false): CharClass {
  const ascii = new Uint8Array(128);
  for (let i = 0; i < chars.length; i++) ascii[chars.charCodeAt(i)] = 1;
  if (negate) for (let i = 0; i < 128; i++) ascii[i] = ascii[i] ? 0 : 1;
  return { ascii, other: negate };
}

const DIGITS = '0123456789';
const WORD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_';
const SPACE = ' \t\n\r\f\v';
const SHORTHAND: Record<string, () => CharClass> = {
  d: () => classOf(DIGITS),
  D: () => classOf(DIGITS, true),
  w: () => classOf(WORD),
  W: () => classOf(WORD, true),
  s: () => classOf(SPACE),
  S: () => classOf(SPACE, true),
};
const CONTROL: Record<string, string> = { t: '\t', n: '\n', r: '\r' };

/** `.`: any character but a line feed. */
const dot = (): CharClass => classOf('\n', true);

class RegexParser {
  private i = 0;
  private positions = 0;
  constructor(
    private readonly src: string,
    private readonly column: number,
  ) {}

  private fail(reason: string, at = this.i): never {
    throw patternError(this.column + at, `in regular expression: ${reason}`);
  }

  parse(): RegexProgram {
    if (this.src.length === 0) this.fail('the expression is empty');
    const alternatives: RegexAlternative[] = [this.alternative()];
    while (this.i < this.src.length) {
      this.i++; // '|'
      alternatives.push(this.alternative());
    }
    return { source: this.src, alternatives };
  }

  private alternative(): RegexAlternative {
    const items: RegexItem[] = [];
    let anchoredStart = false;
    let anchoredEnd = false;
    if (this.src.charAt(this.i) === '^') {
      anchoredStart = true;
      this.i++;
    }
    while (this.i < this.src.length) {
      const c = this.src.charAt(this.i);
      if (c === '|') break;
      if (anchoredEnd) this.fail("'$' is only supported at the end of the expression or of an alternative", this.i - 1);
      if (c === '$') {
        anchoredEnd = true;
        this.i++;
        continue;
      }
      if (c === '^') this.fail("'^' is only supported at the start of the expression or of an alternative");
      if ('*+?{'.includes(c)) this.fail(`nothing to repeat before '${c}'`);
      const itemStart = this.i;
      const atom = this.atom();
      const item = this.quantified(atom.cls, atom.literal);
      this.positions += Number.isFinite(item.max) ? item.max : item.min + 1;
      if (this.positions > MAX_POSITIONS)
        this.fail('the expression is too large once its repetitions are expanded', itemStart);
      items.push(item);
    }
    return { anchoredStart, anchoredEnd, items };
  }

  private atom(): { cls: CharClass; literal: string | undefined } {
    const c = this.src.charAt(this.i);
    if (c === '.') {
      this.i++;
      return { cls: dot(), literal: undefined };
    }
    if (c === '[') return { cls: this.bracket(), literal: undefined };
    if (c === '\\') return this.escape();
    this.checkLiteral(c);
    if (OPERATORS.includes(c)) this.fail(`unexpected '${c}'`);
    this.i++;
    return { cls: classOf(c), literal: c };
  }

  private checkLiteral(c: string): void {
    if (c === '') this.fail('the expression ends too early');
    if (c === '(' || c === ')')
      this.fail('parentheses are not supported: a regular expression cannot have subpatterns');
    if (c.charCodeAt(0) > 127) this.fail('multi-byte characters are not supported');
    if (!isAlnum(c) && !SYMBOLS.includes(c) && !OPERATORS.includes(c))
      this.fail(`the character '${c}' is not supported`);
  }

  private escape(): { cls: CharClass; literal: string | undefined } {
    const e = this.src.charAt(this.i + 1);
    if (e === '') this.fail('a trailing backslash escapes nothing');
    this.i += 2;
    const shorthand = SHORTHAND[e];
    if (shorthand) return { cls: shorthand(), literal: undefined };
    const control = CONTROL[e];
    if (control) return { cls: classOf(control), literal: control };
    if (isAlnum(e)) this.fail(`the escape '\\${e}' is not supported`, this.i - 2);
    this.checkLiteral(e);
    return { cls: classOf(e), literal: e };
  }

  private bracket(): CharClass {
    const open = this.i;
    this.i++;
    const negate = this.src.charAt(this.i) === '^';
    if (negate) this.i++;
    const ascii = new Uint8Array(128);
    let any = false;
    for (;;) {
      const c = this.src.charAt(this.i);
      if (c === '') this.fail("unterminated character class: expected ']'", open);
      if (c === ']') break;
      if (c === '[') this.fail("a '[' inside a character class must be escaped");
      const from = this.classChar(ascii);
      if (from !== undefined && this.src.charAt(this.i) === '-' && this.src.charAt(this.i + 1) !== ']') {
        const dash = this.i;
        this.i++;
        const to = this.classChar(undefined);
        if (to === undefined || to < from) this.fail('invalid range in character class', dash);
        for (let code = from; code <= to; code++) ascii[code] = 1;
      }
      any = true;
    }
    this.i++;
    if (!any) this.fail('empty character class', open);
    if (negate) for (let k = 0; k < 128; k++) ascii[k] = ascii[k] ? 0 : 1;
    return { ascii, other: negate };
  }

  /** Adds one class member; returns its code when it can start or end a range. */
  private classChar(into: Uint8Array | undefined): number | undefined {
    const c = this.src.charAt(this.i);
    if (c === '\\') {
      const e = this.src.charAt(this.i + 1);
      const shorthand = SHORTHAND[e];
      if (shorthand) {
        if (!into) this.fail('a class shorthand cannot end a range');
        const cls = shorthand();
        for (let k = 0; k < 128; k++) if (cls.ascii[k]) into[k] = 1;
        this.i += 2;
        return undefined;
      }
      const literal = this.escape().literal ?? '';
      if (into) into[literal.charCodeAt(0)] = 1;
      return literal.charCodeAt(0);
    }
    this.checkLiteral(c);
    this.i++;
    if (into) into[c.charCodeAt(0)] = 1;
    return c.charCodeAt(0);
  }

  private quantified(cls: CharClass, literal: string | undefined): RegexItem {
    const q = this.src.charAt(this.i);
    let min = 1;
    let max = 1;
    if (q === '*' || q === '+' || q === '?') {
      this.i++;
      [min, max] = q === '*' ? [0, Infinity] : q === '+' ? [1, Infinity] : [0, 1];
    } else if (q === '{') {
      const m = /^\{(\d{1,4})(,(\d{0,4}))?\}/.exec(this.src.slice(this.i));
      if (!m) this.fail('invalid repetition: expected {n}, {n,} or {n,m}');
      min = Number(m[1]);
      max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (min > MAX_REPEAT || (Number.isFinite(max) && max > MAX_REPEAT))
        this.fail(`repetition counts are limited to ${MAX_REPEAT}`);
      if (max < min) this.fail('invalid repetition: the maximum is below the minimum');
      this.i += m[0].length;
    }
    if ('*+?{'.includes(this.src.charAt(this.i)) && this.src.charAt(this.i) !== '') {
      this.fail('nested quantifiers are not supported');
    }
    return { cls, min, max, literal };
  }
}

/** Parses `source` (the text between `%` signs, starting at 1-based `column` of the pattern). */
export function parseRegex(source: string, column: number): RegexProgram {
  return new RegexParser(source, column).parse();
}
