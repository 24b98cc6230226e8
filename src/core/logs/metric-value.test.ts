import { describe, expect, it } from 'vitest';
import {
  compileFilterPattern,
  INVALID_METRIC_TRANSFORMATION,
  metricValueFor,
  validateMetricTransformation,
  type MetricTransformation,
} from './index.ts';

const apacheLine = '127.0.0.1 - frank [10/Oct/2000:13:25:15 -0700] "GET /index.html HTTP/1.0" 404 1534';

describe('metricValueFor (CloudFormation MetricTransformations)', () => {
  it('publishes a literal MetricValue for each matching event', () => {
    const m = compileFilterPattern('ERROR').match('[ERROR] boom');
    expect(metricValueFor({ MetricValue: '1' }, m)).toEqual({ value: 1, dimensions: {} });
    expect(metricValueFor({ MetricValue: '-2.5e1' }, m)).toEqual({ value: -25, dimensions: {} });
  });

  it("takes $.field from a JSON event, as in AWS's latency example", () => {
    const m = compileFilterPattern('{ $.latency = * }').match('{"latency": 50, "requestType": "GET"}');
    expect(metricValueFor({ MetricValue: '$.latency' }, m)).toEqual({ value: 50, dimensions: {} });
    const nested = compileFilterPattern('{ $.a NOT EXISTS }').match('{"timing": {"steps": [3, "4.5"]}}');
    expect(metricValueFor({ MetricValue: '$.timing.steps[1]' }, nested)?.value).toBe(4.5);
  });

  it('takes $field (or $<position>) from a space-delimited event', () => {
    const m = compileFilterPattern('[..., request=*.html*, status_code=4*,]').match(apacheLine);
    expect(metricValueFor({ MetricValue: '$7' }, m)).toEqual({ value: 1534, dimensions: {} });
    const named = compileFilterPattern('[ip, id, user, timestamp, request, status_code, bytes]').match(apacheLine);
    expect(metricValueFor({ MetricValue: '$bytes' }, named)?.value).toBe(1534);
  });

  it('publishes nothing when the field is missing or not a number', () => {
    const m = compileFilterPattern('{ $.a = * }').match('{"a": "x", "b": true}');
    expect(metricValueFor({ MetricValue: '$.a' }, m)).toBeUndefined();
    expect(metricValueFor({ MetricValue: '$.b' }, m)).toBeUndefined();
    expect(metricValueFor({ MetricValue: '$.missing' }, m)).toBeUndefined();
    const d = compileFilterPattern('[a, b]').match('x y');
    expect(metricValueFor({ MetricValue: '$b' }, d)).toBeUndefined();
    expect(metricValueFor({ MetricValue: '$c' }, d)).toBeUndefined();
  });

  it('emits DefaultValue for an event that does not match, and nothing without one', () => {
    const filter = compileFilterPattern('ERROR');
    expect(metricValueFor({ MetricValue: '1', DefaultValue: 0 }, filter.match('all is well'))).toEqual({
      value: 0,
      dimensions: {},
    });
    expect(metricValueFor({ MetricValue: '1' }, filter.match('all is well'))).toBeUndefined();
    expect(metricValueFor({ MetricValue: '1', DefaultValue: null }, undefined)).toBeUndefined();
    expect(metricValueFor({ MetricValue: '1', DefaultValue: 0 }, filter.match('ERROR'))).toEqual({
      value: 1,
      dimensions: {},
    });
  });

  it('fills dimensions from the event, and publishes nothing when one is missing', () => {
    const t: MetricTransformation = {
      MetricName: 'Latency',
      MetricNamespace: 'Cairn',
      MetricValue: '$.latency',
      Dimensions: [
        { Key: 'Service', Value: '$.service' },
        { Key: 'Code', Value: '$.code' },
      ],
    };
    const filter = compileFilterPattern('{ $.latency > 0 }');
    expect(metricValueFor(t, filter.match('{"latency": 7, "service": "api", "code": 200}'))).toEqual({
      value: 7,
      dimensions: { Service: 'api', Code: '200' },
    });
    expect(metricValueFor(t, filter.match('{"latency": 7, "code": 200}'))).toBeUndefined();
    const d = compileFilterPattern('[ip, id, user, timestamp, request, status_code, bytes]').match(apacheLine);
    expect(metricValueFor({ MetricValue: '1', Dimensions: [{ Key: 'Status', Value: '$status_code' }] }, d)).toEqual({
      value: 1,
      dimensions: { Status: '404' },
    });
  });

  it.each<[string, MetricTransformation]>([
    ['a MetricValue that is neither a number nor a field', { MetricValue: 'latency' }],
    ['an empty MetricValue', { MetricValue: '' }],
    ['a malformed selector', { MetricValue: '$.a[' }],
    ['a DefaultValue that is not a number', { MetricValue: '1', DefaultValue: 'x' as unknown as number }],
    [
      'both Dimensions and a DefaultValue',
      { MetricValue: '1', DefaultValue: 0, Dimensions: [{ Key: 'a', Value: '$.a' }] },
    ],
    [
      'more than three dimensions',
      { MetricValue: '1', Dimensions: ['a', 'b', 'c', 'd'].map((k) => ({ Key: k, Value: `$.${k}` })) },
    ],
    ['a dimension value that is not a field', { MetricValue: '1', Dimensions: [{ Key: 'a', Value: 'literal' }] }],
  ])('refuses %s', (_what, t) => {
    expect(() => validateMetricTransformation(t)).toThrow(
      expect.objectContaining({ code: INVALID_METRIC_TRANSFORMATION, kind: 'invalid' }),
    );
    expect(() => metricValueFor(t, undefined)).toThrow(
      expect.objectContaining({ code: INVALID_METRIC_TRANSFORMATION }),
    );
  });
});
