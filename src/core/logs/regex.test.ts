import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileRegex } from './regex-match.ts';
import { parseRegex } from './regex-parse.ts';
import { compileFilterPattern } from './index.ts';

const regex = (source: string) => compileRegex(parseRegex(source, 2));
const find = (source: string, text: string) => regex(source)(text);

describe('%regex% terms (AWS supported regex subset)', () => {
  it('matches the documentation examples', () => {
    const ip = '\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}';
    expect(find(ip, 'client 10.0.12.255 connected')).toBe(true);
    expect(find(ip, 'client 10.0.x.255 connected')).toBe(false);
    expect(['Error: x', 'error: x', 'Fail', 'fail', 'FAIL'].map((t) => find('[Ee]rror|[Ff]ail', t))).toEqual([
      true,
      true,
      true,
      true,
      false,
    ]);
    expect(['hat', 'cat', 'that', 'chat'].map((t) => find('^[hc]at', t))).toEqual([true, true, false, false]);
    expect(['hat', 'cat', 'hats'].map((t) => find('[hc]at$', t))).toEqual([true, true, false]);
    expect(['color', 'colour', 'colouur'].map((t) => find('colou?r', t))).toEqual([true, true, false]);
    expect(['gray', 'grey', 'griy'].map((t) => find('gray|grey', t))).toEqual([true, true, false]);
    expect(find('10\\.10\\.0\\.1', 'host 10.10.0.1 up')).toBe(true);
    expect(find('10\\.10\\.0\\.1', 'host 10a10.0.1 up')).toBe(false);
    expect(find('a{3}', 'baaab')).toBe(true);
    expect(find('ba{3}b', 'baab')).toBe(false);
    expect(find('ba{2,}b', 'baaaab')).toBe(true);
    expect(find('ba{1,2}b', 'baaab')).toBe(false);
    expect(find('[^abc]', 'abc')).toBe(false);
    expect(find('[a-z]+@[a-z]+', 'mail: jo@example')).toBe(true);
    expect(find('\\w+=\\S+', 'key=value')).toBe(true);
    expect(find('\\s', 'nospace')).toBe(false);
  });

  it('does not let . match a line feed, and anchors to the whole event', () => {
    expect(find('a.b', 'a\nb')).toBe(false);
    expect(find('^b', 'a\nb')).toBe(false);
    expect(find('a$', 'a\nb')).toBe(false);
  });

  it('agrees with JavaScript RegExp on the subset (property)', () => {
    const atom = fc.constantFrom(
      'a',
      'b',
      '1',
      '-',
      '_',
      ':',
      '.',
      '[ab]',
      '[^a]',
      '[a-c1]',
      '\\d',
      '\\w',
      '\\s',
      '\\S',
      '\\.',
      ' ',
    );
    const quantifier = fc.constantFrom('', '', '*', '+', '?', '{2}', '{0,2}', '{1,3}', '{2,}');
    const alternative = fc
      .tuple(fc.boolean(), fc.array(fc.tuple(atom, quantifier), { maxLength: 5 }), fc.boolean())
      .map(([start, items, end]) => (start ? '^' : '') + items.map(([a, q]) => a + q).join('') + (end ? '$' : ''));
    const source = fc.array(alternative, { minLength: 1, maxLength: 3 }).map((alts) => alts.join('|'));
    const text = fc
      .array(fc.constantFrom('a', 'b', 'c', '1', ' ', '.', '\n', '_', '-', ':', 'é'), { maxLength: 12 })
      .map((c) => c.join(''));
    fc.assert(
      fc.property(source, fc.array(text, { maxLength: 6 }), (src, texts) => {
        fc.pre(src.length > 0);
        const mine = regex(src);
        const js = new RegExp(src);
        for (const t of texts) expect(mine(t), `${src} on ${JSON.stringify(t)}`).toBe(js.test(t));
      }),
      { numRuns: 3000 },
    );
  });

  it('runs in linear time where a backtracking engine would not finish', () => {
    const started = Date.now();
    expect(find('a*a*a*a*a*a*x', 'a'.repeat(100_000))).toBe(false);
    expect(find('.*.*.*=.*.*;', 'k'.repeat(100_000))).toBe(false);
    expect(find('a{900}b', 'a'.repeat(50_000))).toBe(false);
    expect(find('.{990}x', 'y'.repeat(50_000))).toBe(false);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it.each([
    ['%(a)%', 'column 2: in regular expression: parentheses are not supported'],
    ['%something!%', "column 11: in regular expression: the character '!' is not supported"],
    ['%café%', 'column 5: in regular expression: multi-byte characters are not supported'],
    ['%a**%', 'column 4: in regular expression: nested quantifiers are not supported'],
    ['%a{2}{3}%', 'column 6: in regular expression: nested quantifiers are not supported'],
    ['%a+?%', 'column 4: in regular expression: nested quantifiers are not supported'],
    ['%*a%', "column 2: in regular expression: nothing to repeat before '*'"],
    ['%a|+b%', "column 4: in regular expression: nothing to repeat before '+'"],
    ['%[ab%', "column 2: in regular expression: unterminated character class: expected ']'"],
    ['%[]%', 'column 2: in regular expression: empty character class'],
    ['%[z-a]%', 'column 4: in regular expression: invalid range in character class'],
    ['%a{1001}%', 'column 3: in regular expression: repetition counts are limited to 1000'],
    ['%a{3,2}%', 'column 3: in regular expression: invalid repetition: the maximum is below the minimum'],
    ['%a{x}%', 'column 3: in regular expression: invalid repetition: expected {n}, {n,} or {n,m}'],
    ['%\\q%', "column 2: in regular expression: the escape '\\q' is not supported"],
    ['%ab\\%', 'column 4: in regular expression: a trailing backslash escapes nothing'],
    ['%%', 'column 2: in regular expression: the expression is empty'],
    ['%a^b%', "column 3: in regular expression: '^' is only supported at the start"],
    ['%a$b%', "column 3: in regular expression: '$' is only supported at the end"],
    ['%abc', "column 1: unterminated regular expression: expected a closing '%'"],
    ['%.{600}.{600}%', 'column 8: in regular expression: the expression is too large'],
  ])('refuses %s', (pattern, message) => {
    expect(() => compileFilterPattern(pattern)).toThrow(message);
  });
});
