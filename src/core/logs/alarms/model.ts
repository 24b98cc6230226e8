/** A metric alarm as cairn.yaml (and CloudFormation's AWS::CloudWatch::Alarm) spells it. */
export type AlarmState = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';
export type TreatMissingData = 'missing' | 'ignore' | 'breaching' | 'notBreaching';
export type AlarmComparison =
  'GreaterThanThreshold' | 'GreaterThanOrEqualToThreshold' | 'LessThanThreshold' | 'LessThanOrEqualToThreshold';

export const ALARM_COMPARISONS: readonly AlarmComparison[] = [
  'GreaterThanThreshold',
  'GreaterThanOrEqualToThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
];
export const TREAT_MISSING_DATA: readonly TreatMissingData[] = ['missing', 'ignore', 'breaching', 'notBreaching'];

export interface AlarmDefinition {
  readonly AlarmName: string;
  readonly AlarmDescription?: string | undefined;
  readonly Namespace: string;
  readonly MetricName: string;
  readonly Dimensions: Readonly<Record<string, string>>;
  /** `Sum`, `Average`, `Minimum`, `Maximum`, `SampleCount`, or a percentile such as `p90` (ExtendedStatistic). */
  readonly statistic: string;
  /** Seconds. */
  readonly Period: number;
  readonly EvaluationPeriods: number;
  readonly DatapointsToAlarm: number;
  readonly Threshold: number;
  readonly ComparisonOperator: AlarmComparison;
  readonly TreatMissingData: TreatMissingData;
  readonly Unit?: string | undefined;
  /** Cairn's own: routing labels (severity, team, service…) carried in the event for the hub. */
  readonly labels: Readonly<Record<string, string>>;
}

/** One period's value for the alarm's statistic; `value` undefined when the period had no data. */
export interface AlarmDatapoint {
  /** Start of the period, epoch ms. */
  readonly timestamp: number;
  readonly value: number | undefined;
  readonly sampleCount: number;
}

export interface AlarmStateValue {
  readonly value: AlarmState;
  readonly reason: string;
  /** JSON text, as CloudWatch's `reasonData`; absent for the initial state. */
  readonly reasonData?: string | undefined;
  /** UTC, CloudWatch's `2019-10-02T17:04:40.989+0000` form. */
  readonly timestamp: string;
}

/** CloudWatch's timestamp form in alarm events and reasons: milliseconds and `+0000`. */
export const cloudWatchTime = (ms: number): string => new Date(ms).toISOString().replace('Z', '+0000');
