import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CairnError } from '../errors.ts';
import { compileFilterPattern, INVALID_FILTER_PATTERN, splitFields, type CompiledFilterPattern } from './index.ts';

const ALPHABET = '[]{}()$."?-%*=<>!&|, '.split('').concat(['a', 'b', 'Z', '0', '1', '9', '_', '\\', '^', '+', 'e']);
const alphabetString = fc.array(fc.constantFrom(...ALPHABET), { maxLength: 60 }).map((a) => a.join(''));
const tokenString = fc
  .array(
    fc.constantFrom(
      '{',
      '}',
      '[',
      ']',
      '(',
      ')',
      '$.a',
      '$.b[0]',
      '$.*',
      ' = ',
      ' != ',
      ' > ',
      ' <= ',
      '1',
      '-1.5e3',
      '"x*"',
      '%a+b%',
      '&&',
      '||',
      ' IS ',
      'TRUE',
      'NULL',
      ' NOT EXISTS',
      ',',
      '...',
      'w1',
      ' ',
      '?',
      '-',
      'ERROR',
      '*',
    ),
    { maxLength: 24 },
  )
  .map((a) => a.join(''));
const anyPattern = fc.oneof(
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  alphabetString,
  tokenString,
);
const anyLine = fc.oneof(
  fc.string({ maxLength: 120 }),
  fc.json({ maxDepth: 3 }),
  fc
    .array(fc.constantFrom('a', ' ', '"', '[', ']', '1', '{', '}', 'ERROR', '\\', '$', '\n', '\r', 'é'), {
      maxLength: 40,
    })
    .map((a) => a.join('')),
);

/** Compiles, or returns undefined for a refused pattern; fails on any other exception. */
function tryCompile(pattern: string): CompiledFilterPattern | undefined {
  try {
    return compileFilterPattern(pattern);
  } catch (e) {
    if (e instanceof CairnError && e.code === INVALID_FILTER_PATTERN && /^column \d+: /.test(e.message))
      return undefined;
    throw e;
  }
}

describe('filter pattern properties', () => {
  it('the parser throws nothing but CAIRN_INVALID_FILTER_PATTERN, on any string', () => {
    fc.assert(
      fc.property(anyPattern, (p) => void tryCompile(p)),
      { numRuns: 20_000 },
    );
  });

  it('matching never throws, and match, matches and line scanning agree', () => {
    fc.assert(
      fc.property(anyPattern, fc.array(anyLine, { maxLength: 6 }), (p, lines) => {
        const compiled = tryCompile(p);
        if (!compiled) return;
        const single = lines.map((l) => l.replace(/[\r\n]/g, ' '));
        const expected = single.filter((l) => compiled.matches(l));
        expect(single.filter((l) => compiled.match(l) !== undefined)).toEqual(expected);
        const seen: string[] = [];
        compiled.forEachMatchingLine(single.map((l) => `${l}\n`).join(''), (l) => seen.push(l));
        expect(seen).toEqual(expected);
        expect(compiled.countMatchingLines(single.map((l) => `${l}\r\n`).join(''))).toBe(expected.length);
      }),
      { numRuns: 20_000 },
    );
  });

  it('term patterns match when every term appears and no excluded one does', () => {
    const word = fc.constantFrom('ERROR', 'WARN', 'a b', 'x"y', 'ERR', 'RO', '[1]', 'é');
    const quote = (w: string) => `"${w.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 3 }),
        fc.array(word, { maxLength: 2 }),
        fc.array(word, { maxLength: 6 }),
        (include, exclude, lineWords) => {
          const pattern = [...include.map(quote), ...exclude.map((w) => `-${quote(w)}`)].join(' ');
          const line = lineWords.join(' ');
          const expected = include.every((w) => line.includes(w)) && !exclude.some((w) => line.includes(w));
          expect(compileFilterPattern(pattern).matches(line)).toBe(expected);
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('JSON pre-checks on the raw text never change the outcome (compared with an escaped event)', () => {
    const key = fc.constantFrom('a', 'b', 'c');
    const leaf = fc.oneof(
      fc.constantFrom('x', 'xy', 'ERROR', '5', '', 'a'),
      fc.integer({ min: -3, max: 600 }),
      fc.double({ noNaN: true, noDefaultInfinity: true }),
      fc.boolean(),
      fc.constant(null),
    );
    const value = fc.letrec<{ v: unknown }>((tie) => ({
      v: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('v'), { maxLength: 3 }),
        fc.dictionary(key, tie('v'), { maxKeys: 3 }),
      ),
    })).v;
    const event = fc.dictionary(key, value, { maxKeys: 3 });
    // (not `$.*`: it would see the escaped key added to the event)
    const selector = fc.constantFrom(
      '$.a',
      '$.b',
      '$.a.b',
      '$.a[0]',
      '$.c.a',
      '$.b[1].c',
      '$.c.*',
      '$.a[*]',
      '$.a[*].b',
    );
    const condition = fc.oneof(
      fc
        .tuple(selector, fc.constantFrom('=', '!=', '<', '>=', '>'), fc.constantFrom('5', '500', '-1', '1e2', '0'))
        .map((t) => t.join(' ')),
      fc
        .tuple(
          selector,
          fc.constantFrom('=', '!='),
          fc.constantFrom('x', '"xy"', 'ERR*', '*R', '*', '%^x%', '"a"', '"5"'),
        )
        .map((t) => t.join(' ')),
      fc.tuple(selector, fc.constantFrom('IS TRUE', 'IS FALSE', 'IS NULL', 'NOT EXISTS')).map((t) => t.join(' ')),
    );
    const expression = fc
      .array(fc.tuple(condition, fc.constantFrom('&&', '||')), { minLength: 1, maxLength: 3 })
      .map((parts) => parts.map(([c, op], i) => (i === 0 ? c : `${op} ${c}`)).join(' '));
    const escaped = (line: string) => (line === '{}' ? '{"\\u005fz":0}' : line.replace(/^\{/, '{"\\u005fz":0,'));
    fc.assert(
      fc.property(expression, event, fc.boolean(), (expr, obj, pretty) => {
        fc.pre((expr.match(/%/g) ?? []).length <= 4); // AWS allows two regular expressions
        const compiled = compileFilterPattern(`{ ${expr} }`);
        const line = pretty ? JSON.stringify(obj, null, 1) : JSON.stringify(obj);
        expect(compiled.matches(line), `${expr} on ${line}`).toBe(compiled.matches(escaped(line)));
      }),
      { numRuns: 20_000 },
    );
  });

  it('space-delimited ellipses find a placement exactly when one exists', () => {
    type Slot = '...' | 'x' | '_';
    const slots = fc.array(fc.constantFrom<Slot>('...', 'x', '_'), { minLength: 1, maxLength: 6 });
    const words = fc.array(fc.constantFrom('x', 'y'), { maxLength: 7 });
    /** Brute force: can slots[i..] cover fields[j..]? ('x' needs the field x, '_' any field). */
    const fits = (s: Slot[], f: string[], i = 0, j = 0): boolean => {
      if (i === s.length) return j === f.length;
      if (s[i] === '...') return fits(s, f, i + 1, j) || (j < f.length && fits(s, f, i, j + 1));
      return j < f.length && (s[i] === '_' || f[j] === 'x') && fits(s, f, i + 1, j + 1);
    };
    fc.assert(
      fc.property(slots, words, (s, f) => {
        const pattern = `[${s.map((slot, i) => (slot === '...' ? '...' : slot === 'x' ? `f${i} = x` : `f${i}`)).join(', ')}]`;
        const line = f.join(' ');
        const m = compileFilterPattern(pattern).match(line);
        expect(m !== undefined, `${pattern} on ${line}`).toBe(fits(s, f));
        if (m) expect(Object.keys(m.extractedValues)).toHaveLength(splitFields(line).length);
      }),
      { numRuns: 10_000 },
    );
  });
});
