import { describe, expect, it } from 'vitest';
import { escapeMarkdown, escapeSlack, fit, markdownUrl, oneLine, safeUrl, truncate } from './text.ts';

describe('text helpers', () => {
  it('truncates without splitting a surrogate pair', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('ab😀cd', 4)).toBe('ab…');
    expect(truncate('short', 10)).toBe('short');
  });

  it('fits escaped text within a limit without cutting an escape in half', () => {
    const out = fit('a&'.repeat(1000), 100, escapeSlack);
    expect(out.length).toBeLessThanOrEqual(100);
    expect(out).toMatch(/^(a&amp;)+a?…$/);
    expect(fit('&'.repeat(10_000), 3000, escapeSlack).length).toBeGreaterThan(2900);
  });

  it('escapes Markdown and breaks mentions', () => {
    expect(escapeMarkdown('[x](javascript:1) *b* @all <at>')).toBe(
      '\\[x\\]\\(javascript:1\\) \\*b\\* @\u200ball \\<at\\>',
    );
  });

  it('keeps only http(s) URLs and makes them safe inside Markdown links', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull();
    expect(safeUrl('not a url')).toBeNull();
    expect(safeUrl('https://r.example.com/a b')).toBe('https://r.example.com/a%20b');
    expect(markdownUrl('https://x.example.com/(a)')).toBe('https://x.example.com/%28a%29');
  });

  it('flattens control characters to one line', () => {
    expect(oneLine('a\r\nBcc: x\u2028y')).toBe('a Bcc: x y');
  });
});
