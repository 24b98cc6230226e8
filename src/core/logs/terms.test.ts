import { describe, expect, it } from 'vitest';
import { compileFilterPattern, parseFilterPattern } from './index.ts';

const matching = (pattern: string, events: string[]): string[] => {
  const compiled = compileFilterPattern(pattern);
  return events.filter((e) => compiled.matches(e));
};

describe('unstructured term patterns (AWS documentation examples)', () => {
  it('matches every event with the empty pattern, a blank one, or ""', () => {
    for (const p of ['', '   ', '""']) {
      expect(matching(p, ['anything', '', '{"a":1}'])).toEqual(['anything', '', '{"a":1}']);
    }
  });

  it('matches a single term as a case-sensitive substring', () => {
    const events = [
      '[ERROR] A fatal exception has occurred',
      'Exiting with ERRORCODE: -1',
      'error: lower case',
      'all is well',
    ];
    expect(matching('ERROR', events)).toEqual(events.slice(0, 2));
    expect(matching('"ERROR"', events)).toEqual(events.slice(0, 2));
  });

  it('excludes a term with a minus sign, also when written as "ERROR" - "Exiting"', () => {
    const events = ['[ERROR] A fatal exception has occurred', 'Exiting with ERRORCODE: -1'];
    expect(matching('"ERROR" - "Exiting"', events)).toEqual([events[0]]);
    expect(matching('ERROR -Exiting', events)).toEqual([events[0]]);
    expect(matching('-ERROR', ['ERROR here', 'fine'])).toEqual(['fine']);
  });

  it('requires all terms when several are given', () => {
    const events = ['[ERROR] Caught IllegalArgumentException', '[ERROR] Unhandled Exception', '[ERROR] nothing else'];
    expect(matching('ERROR Exception', events)).toEqual(events.slice(0, 2));
  });

  it('matches a quoted phrase exactly, words in order', () => {
    const events = [
      '[WARN] Failed to process the request',
      '[ERROR] Unable to continue: Failed to process the request',
      'Failed to process request',
      'the request Failed to process',
    ];
    expect(matching('"Failed to process the request"', events)).toEqual(events.slice(0, 2));
    expect(matching('Failed to process the request', events)).toEqual(events.slice(0, 2).concat(events[3] ?? []));
  });

  it('ORs terms marked with a question mark', () => {
    const events = ['ERROR WARN message', 'ERROR message', 'WARN message', 'INFO message'];
    expect(matching('?ERROR ?WARN', events)).toEqual(events.slice(0, 3));
    expect(matching('ERROR WARN', events)).toEqual([events[0]]);
    expect(matching('ERROR -WARN', events)).toEqual([events[1]]);
  });

  it('treats ?term followed by plain terms as one alternative, as the CDK renders anyTermGroup', () => {
    const pattern = '?"ERROR" "MainThread" ?"WARN" "Deadlock"';
    const events = ['ERROR in MainThread', 'ERROR elsewhere', 'WARN Deadlock detected', 'WARN MainThread', 'Deadlock'];
    expect(matching(pattern, events)).toEqual(['ERROR in MainThread', 'WARN Deadlock detected']);
    expect(parseFilterPattern(pattern)).toEqual({
      kind: 'terms',
      groups: [
        {
          include: [
            { kind: 'text', text: 'ERROR', column: 2 },
            { kind: 'text', text: 'MainThread', column: 10 },
          ],
          exclude: [],
        },
        {
          include: [
            { kind: 'text', text: 'WARN', column: 24 },
            { kind: 'text', text: 'Deadlock', column: 31 },
          ],
          exclude: [],
        },
      ],
    });
  });

  it('makes plain terms before the first ?term an alternative of their own', () => {
    expect(matching('ERROR Fatal ?WARN', ['ERROR Fatal', 'ERROR only', 'WARN only'])).toEqual([
      'ERROR Fatal',
      'WARN only',
    ]);
  });

  it('unescapes \\" and \\\\ in quoted terms and keeps any other backslash', () => {
    expect(matching('"say \\"hi\\""', ['they say "hi" there', 'say hi'])).toEqual(['they say "hi" there']);
    expect(matching('"a\\\\b"', ['a\\b', 'a\\\\b', 'ab'])).toEqual(['a\\b']);
    expect(matching('"C:\\path"', ['at C:\\path\\x', 'C:path'])).toEqual(['at C:\\path\\x']);
  });

  it('keeps non-alphanumeric characters of unquoted terms literally', () => {
    expect(matching('ERROR:[main]', ['ERROR:[main] x', 'ERROR:main'])).toEqual(['ERROR:[main] x']);
    expect(matching('status=500', ['GET / status=500', 'status=200'])).toEqual(['GET / status=500']);
    expect(matching('"[ERROR]"', ['[ERROR] boom', 'ERROR'])).toEqual(['[ERROR] boom']);
  });

  it('reads a pattern that starts with [ as space-delimited, so a bracketed term must be quoted', () => {
    expect(() => compileFilterPattern('[ERROR]x')).toThrow(
      /column 8: unexpected 'x' after the space-delimited pattern/,
    );
  });

  it('combines %regex% terms with text terms', () => {
    expect(
      matching('%AUTHORIZED%', ['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST', 'nope']),
    ).toEqual(['[ERROR 401] UNAUTHORIZED REQUEST', '[SUCCESS 200] AUTHORIZED REQUEST']);
    expect(matching('GET %5[0-9]{2}%', ['GET /a 503', 'GET /a 404', 'POST /a 500'])).toEqual(['GET /a 503']);
    expect(matching('?%^ERROR% ?%FATAL$%', ['ERROR at start', 'late ERROR', 'ends FATAL', 'FATAL early'])).toEqual([
      'ERROR at start',
      'ends FATAL',
    ]);
    expect(matching('request -%5[0-9]{2}%', ['request 200', 'request 500'])).toEqual(['request 200']);
  });
});
