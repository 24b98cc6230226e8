import { describe, expect, it } from 'vitest';
import { compileFilterPattern, splitFields, testMetricFilter } from './index.ts';

const apache = [
  '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
  '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
  '127.0.0.1 - frank [10/Oct/2000:13:50:35 -0700] "GET /apache_pb.gif HTTP/1.0" 200 4355',
  '127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] "GET /index.html HTTP/1.0" 404 1000',
  '127.0.0.1 - frank [10/Oct/2000:13:56:01 -0700] "GET /admin.html HTTP/1.0" 403 210',
];

/** Which of the Apache lines (1-based) match. */
const which = (pattern: string, events = apache): number[] => {
  const compiled = compileFilterPattern(pattern);
  return events.flatMap((e, i) => (compiled.matches(e) ? [i + 1] : []));
};

describe('splitting an event into space-delimited fields', () => {
  it('treats quoted and bracketed text as one field, without the quotes or brackets', () => {
    expect(splitFields(apache[0] ?? '')).toEqual([
      '127.0.0.1',
      '-',
      'frank',
      '10/Oct/2000:13:25:15 -0700',
      'GET /apache_pb.gif HTTP/1.0',
      '200',
      '1534',
    ]);
  });

  it('collapses runs of spaces and tabs and ignores them at both ends', () => {
    expect(splitFields('  a \t b   c  ')).toEqual(['a', 'b', 'c']);
    expect(splitFields('')).toEqual([]);
  });

  it('reads an unclosed quote or bracket as an ordinary character', () => {
    expect(splitFields('a "b c')).toEqual(['a', '"b', 'c']);
    expect(splitFields('[x y')).toEqual(['[x', 'y']);
    expect(splitFields('"" []')).toEqual(['', '']);
  });
});

describe('space-delimited patterns (AWS documentation examples)', () => {
  it('needs exactly as many fields as the pattern when there is no ellipsis', () => {
    expect(which('[ip, user, username, timestamp, request, status_code, bytes]')).toEqual([1, 2, 3, 4, 5]);
    expect(which('[ip, user, username, timestamp, request, status_code]')).toEqual([]);
    expect(which('[ip, user, username, timestamp, request, status_code, bytes, extra]')).toEqual([]);
    expect(which('[w1=ERROR, w2]', ['ERROR WARN message', 'ERROR message', 'WARN message'])).toEqual([2]);
  });

  it('lets an ellipsis stand for any number of fields, anywhere', () => {
    expect(which('[..., status_code, bytes]')).toEqual([1, 2, 3, 4, 5]);
    expect(which('[ip, user, ..., status_code, bytes]')).toEqual([1, 2, 3, 4, 5]);
    expect(which('[ip, user, ...]')).toEqual([1, 2, 3, 4, 5]);
    expect(which('[..., status_code = 500, ...]')).toEqual([2]);
    expect(which('[..., request = *html*, ..., bytes < 500]')).toEqual([5]);
    expect(which('[..., a, b, c, d, e, f, g, h]')).toEqual([]);
    expect(which('[...]', ['', 'one', 'a b c'])).toEqual([1, 2, 3]);
  });

  it('applies numeric and string conditions with wildcards', () => {
    expect(which('[ip, user, username, timestamp, request, status_code, bytes > 1000]')).toEqual([1, 2, 3]);
    expect(which('[ip, user, username, timestamp, request, status_code = 200, bytes]')).toEqual([1, 3]);
    expect(which('[ip, user, username, timestamp, request, status_code = 4*, bytes]')).toEqual([4, 5]);
    expect(which('[ip, user, username, timestamp, request = *html*, status_code = 4*, bytes]')).toEqual([4, 5]);
    expect(which('[ip, user, username = fr*, timestamp, request = *.gif*, status_code != 500, bytes >= 4355]')).toEqual(
      [3],
    );
    expect(which('[ip, user, username = "frank", ...]')).toEqual([1, 2, 3, 4, 5]);
    expect(which('[..., request = "GET /index.html HTTP/1.0", status_code, bytes <= 1e3]')).toEqual([4]);
  });

  it('combines conditions on a field with && and ||, && binding tighter, with parentheses', () => {
    expect(which('[ip, user, username, timestamp, request, status_code = 4* && status_code != 403, bytes]')).toEqual([
      4,
    ]);
    expect(which('[ip, user, username, timestamp, request, status_code = 403 || status_code = 404, bytes]')).toEqual([
      4, 5,
    ]);
    expect(which('[..., status_code = 500 || status_code = 4* && status_code != 404, bytes]')).toEqual([2, 5]);
    expect(which('[..., (status_code = 500 || status_code = 4*) && status_code != 404, bytes]')).toEqual([2, 5]);
    expect(which('[..., status_code, bytes > 1000 && (bytes < 2000 || bytes > 5000)]')).toEqual([1, 2]);
    const words = ['ERROR WARN message', 'ERROR message', 'WARN message', 'INFO message'];
    expect(which('[w1=ERROR || w1=WARN, w2]', words)).toEqual([2, 3]);
    expect(which('[w1!=ERROR&&w1!=WARN, w2]', words)).toEqual([4]);
  });

  it('matches %regex% conditions against the field', () => {
    expect(which('[ip, user, username, timestamp, request =%.*\\.html%, status_code = %4[0-9]{2}%, bytes]')).toEqual([
      4, 5,
    ]);
    expect(which('[..., status_code != %^[45]%, bytes]')).toEqual([1, 3]);
  });

  it('compares numbers numerically and non-numbers never as less or greater', () => {
    const events = ['x 10', 'x 9.5', 'x 1e2', 'x -3', 'x abc', 'x 0x10'];
    expect(which('[a, n > 9.9]', events)).toEqual([1, 3]);
    expect(which('[a, n < 0]', events)).toEqual([4]);
    expect(which('[a, n = 100]', events)).toEqual([3]);
    expect(which('[a, n != 10]', events)).toEqual([2, 3, 4, 5, 6]);
  });

  it('extracts fields as AWS documents: names, or positions for unnamed and ellipsis fields', () => {
    const event = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';
    expect(testMetricFilter('[..., request=*.html*, status_code=4*,]', [event])).toEqual({
      matches: [
        {
          eventNumber: 1,
          eventMessage: event,
          extractedValues: {
            $status_code: '404',
            $request: 'GET /index.html HTTP/1.0',
            $7: '1534',
            $4: '10/Oct/2000:13:25:15 -0700',
            $3: 'frank',
            $2: '-',
            $1: '127.0.0.1',
          },
        },
      ],
    });
    expect(compileFilterPattern('[ip, , ..., code, ...]').match('1.2.3.4 x y z 200 k')?.extractedValues).toEqual({
      $ip: '1.2.3.4',
      $2: 'x',
      $code: 'y',
      $4: 'z',
      $5: '200',
      $6: 'k',
    });
    expect(compileFilterPattern('[a, ..., b = 2*, ...]').match('s x 1 200 y 201')?.extractedValues).toEqual({
      $a: 's',
      $2: 'x',
      $3: '1',
      $b: '200',
      $5: 'y',
      $6: '201',
    });
  });
});
