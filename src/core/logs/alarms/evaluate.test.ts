import { describe, expect, it } from 'vitest';
import { evaluateAlarm, evaluationRange } from './evaluate.ts';
import type { AlarmDatapoint, AlarmDefinition, AlarmState, TreatMissingData } from './model.ts';

const alarm = (over: Partial<AlarmDefinition> = {}): AlarmDefinition => ({
  AlarmName: 'errors',
  Namespace: 'App',
  MetricName: 'Errors',
  Dimensions: {},
  statistic: 'Sum',
  Period: 60,
  EvaluationPeriods: 3,
  DatapointsToAlarm: 3,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanThreshold',
  TreatMissingData: 'missing',
  labels: {},
  ...over,
});

/** `0 - X - X` as in the CloudWatch user guide: 0 not breaching, X breaching, - missing (oldest first). */
function points(spec: string): AlarmDatapoint[] {
  return spec.split(' ').map((c, i) => ({
    timestamp: i * 60_000,
    value: c === '-' ? undefined : c === 'X' ? 5 : 0,
    sampleCount: c === '-' ? 0 : 1,
  }));
}

const TREATS: TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];
const RETAIN = 'retain';

function check(m: number, rows: [string, ...(AlarmState | typeof RETAIN)[]][]) {
  for (const [spec, ...expected] of rows) {
    TREATS.forEach((treat, i) => {
      it(`${spec} with TreatMissingData ${treat} (${m} of 3) → ${expected[i]}`, () => {
        const a = alarm({ DatapointsToAlarm: m, TreatMissingData: treat });
        for (const current of ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const) {
          const r = evaluateAlarm(a, points(spec), current, 10 * 60_000);
          expect(r.state ?? RETAIN).toBe(expected[i] === RETAIN ? RETAIN : expected[i]);
        }
      });
    });
  }
}

describe("CloudWatch's documented table: 3 out of 3, 5 datapoints retrieved", () => {
  it('retrieves EvaluationPeriods + 2 datapoints', () => expect(evaluationRange(alarm())).toBe(5));
  check(3, [
    ['0 - X - X', 'OK', 'OK', 'OK', 'OK'],
    ['0 - - - -', 'OK', 'OK', 'OK', 'OK'],
    ['- - - - -', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ['0 X X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
    ['X - - - -', 'ALARM', RETAIN, 'ALARM', 'OK'],
  ]);
});

describe("CloudWatch's documented table: 2 out of 3 (M out of N)", () => {
  check(2, [
    ['0 - X - X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 0 X 0 X', 'ALARM', 'ALARM', 'ALARM', 'ALARM'],
    ['0 - X - -', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - 0', 'OK', 'OK', 'ALARM', 'OK'],
    ['- - - - X', 'INSUFFICIENT_DATA', RETAIN, 'ALARM', 'OK'],
  ]);
});

describe('alarm evaluation', () => {
  it('uses only the most recent EvaluationPeriods real datapoints when there are enough', () => {
    expect(evaluateAlarm(alarm(), points('X X 0 0 0'), 'ALARM', 0).state).toBe('OK');
    expect(evaluateAlarm(alarm(), points('0 0 X X X'), 'OK', 0).state).toBe('ALARM');
  });

  it('compares with each operator at the threshold itself', () => {
    const at = [{ timestamp: 0, value: 1, sampleCount: 1 }];
    const one = (op: AlarmDefinition['ComparisonOperator']) =>
      evaluateAlarm(alarm({ ComparisonOperator: op, EvaluationPeriods: 1, DatapointsToAlarm: 1 }), at, 'OK', 0).state;
    expect(one('GreaterThanThreshold')).toBe('OK');
    expect(one('GreaterThanOrEqualToThreshold')).toBe('ALARM');
    expect(one('LessThanThreshold')).toBe('OK');
    expect(one('LessThanOrEqualToThreshold')).toBe('ALARM');
  });

  it('explains a transition the way CloudWatch does, with reasonData', () => {
    const r = evaluateAlarm(alarm(), points('0 0 X X X'), 'OK', Date.UTC(2026, 0, 1, 0, 10));
    expect(r.reason).toBe(
      'Threshold Crossed: 3 out of the last 3 datapoints [5.0 (01/01/70 00:04:00), 5.0 (01/01/70 00:03:00), 5.0 (01/01/70 00:02:00)] ' +
        'were greater than the threshold (1.0) (minimum 3 datapoints for OK -> ALARM transition).',
    );
    const data = JSON.parse(r.reasonData);
    expect(data).toMatchObject({
      version: '1.0',
      statistic: 'Sum',
      period: 60,
      threshold: 1,
      recentDatapoints: [5, 5, 5],
    });
    expect(data.evaluatedDatapoints[0]).toEqual({
      timestamp: '1970-01-01T00:04:00.000+0000',
      sampleCount: 1,
      value: 5,
    });
  });

  it('says how many datapoints were unknown for INSUFFICIENT_DATA', () => {
    expect(evaluateAlarm(alarm(), points('- - - - -'), 'OK', 0).reason).toBe(
      'Insufficient Data: 5 datapoints were unknown.',
    );
  });

  it('names the treatment when every datapoint is missing', () => {
    const r = evaluateAlarm(alarm({ TreatMissingData: 'notBreaching' }), points('- - - - -'), 'ALARM', 0);
    expect(r.reason).toBe(
      'Threshold Crossed: no datapoints were received for 5 periods and 5 missing datapoints were treated as [NonBreaching].',
    );
  });

  it('labels percentile alarms as extendedStatistic in reasonData', () => {
    const r = evaluateAlarm(alarm({ statistic: 'p90' }), points('X X X X X'), 'OK', 0);
    expect(JSON.parse(r.reasonData).extendedStatistic).toBe('p90');
  });
});
