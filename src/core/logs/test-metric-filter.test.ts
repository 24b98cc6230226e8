import { describe, expect, it } from 'vitest';
import { CairnError } from '../errors.ts';
import { INVALID_FILTER_PATTERN, INVALID_LOG_EVENT_MESSAGES, testMetricFilter } from './index.ts';

describe('testMetricFilter, as CloudWatch Logs TestMetricFilter', () => {
  it('lists only the matching events, numbered from 1 over all the messages', () => {
    expect(testMetricFilter('ERROR', ['ok', '[ERROR] boom', 'fine', 'ERRORCODE: -1'])).toEqual({
      matches: [
        { eventNumber: 2, eventMessage: '[ERROR] boom', extractedValues: {} },
        { eventNumber: 4, eventMessage: 'ERRORCODE: -1', extractedValues: {} },
      ],
    });
  });

  it('returns an empty list when nothing matches', () => {
    expect(testMetricFilter('{ $.level = "ERROR" }', ['not json', '{"level": "INFO"}'])).toEqual({ matches: [] });
  });

  it('extracts the fields of a space-delimited pattern', () => {
    const events = [
      '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /apache_pb.gif HTTP/1.0" 200 1534',
      '127.0.0.1 - frank [10/Oct/2000:13:35:22 -0700] "GET /apache_pb.gif HTTP/1.0" 500 5324',
    ];
    expect(testMetricFilter('[ip, id, user, timestamp, request, status_code = 5*, size]', events)).toEqual({
      matches: [
        {
          eventNumber: 2,
          eventMessage: events[1],
          extractedValues: {
            $ip: '127.0.0.1',
            $id: '-',
            $user: 'frank',
            $timestamp: '10/Oct/2000:13:35:22 -0700',
            $request: 'GET /apache_pb.gif HTTP/1.0',
            $status_code: '500',
            $size: '5324',
          },
        },
      ],
    });
  });

  it('leaves extractedValues empty for JSON patterns, as AWS documents', () => {
    expect(testMetricFilter('{ $.latency = * }', ['{"latency": 50, "requestType": "GET"}'])).toEqual({
      matches: [{ eventNumber: 1, eventMessage: '{"latency": 50, "requestType": "GET"}', extractedValues: {} }],
    });
  });

  it('refuses an invalid pattern with CAIRN_INVALID_FILTER_PATTERN', () => {
    expect(() => testMetricFilter('{ $.a = ', ['x'])).toThrow(CairnError);
    try {
      testMetricFilter('[a', ['x']);
    } catch (e) {
      expect((e as CairnError).code).toBe(INVALID_FILTER_PATTERN);
    }
  });

  it('accepts 1 to 50 non-empty messages, as AWS does', () => {
    expect(
      testMetricFilter(
        'x',
        Array.from({ length: 50 }, () => 'x'),
      ).matches,
    ).toHaveLength(50);
    for (const messages of [[], Array.from({ length: 51 }, () => 'x'), ['ok', '']]) {
      expect(() => testMetricFilter('x', messages)).toThrow(
        expect.objectContaining({ code: INVALID_LOG_EVENT_MESSAGES, kind: 'invalid' }),
      );
    }
  });

  it('gives each match its own extractedValues object', () => {
    const { matches } = testMetricFilter('', ['a', 'b']);
    expect(matches[0]?.extractedValues).not.toBe(matches[1]?.extractedValues);
    expect(Object.isFrozen(matches[0]?.extractedValues)).toBe(false);
  });
});
