import { RemovalPolicy } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { PropsRule } from './validation.ts';

/** A CloudWatch Logs metric filter, as CloudFormation's AWS::Logs::MetricFilter has it. */
export interface MetricFilterSpec {
  readonly logGroupName: string;
  readonly filterName?: string;
  readonly filterPattern: string;
  readonly metricTransformations: readonly {
    readonly metricName: string;
    readonly metricNamespace: string;
    readonly metricValue: string;
    readonly defaultValue?: number;
    readonly dimensions?: Readonly<Record<string, string>>;
    readonly unit?: string;
  }[];
}

/** A CloudWatch alarm on one metric, as CloudFormation's AWS::CloudWatch::Alarm has it. */
export interface AlarmSpec {
  readonly alarmName: string;
  readonly alarmDescription?: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions?: Readonly<Record<string, string>>;
  readonly statistic?: string;
  readonly extendedStatistic?: string;
  /** Seconds: 10, 20, 30 or a multiple of 60. */
  readonly period: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm?: number;
  readonly threshold: number;
  readonly comparisonOperator: string;
  readonly treatMissingData?: 'missing' | 'ignore' | 'breaching' | 'notBreaching';
  readonly unit?: string;
}

export interface LogAlarmsProps {
  /** Log groups to make besides those the filters name (every group the agent ships to). */
  readonly logGroupNames?: readonly string[];
  readonly metricFilters: readonly MetricFilterSpec[];
  readonly alarms: readonly AlarmSpec[];
  /** Make the log groups the filters name (the CloudWatch agent writes into them). @default true */
  readonly createLogGroups?: boolean;
  readonly logGroupRetention?: logs.RetentionDays;
}

const OPERATORS = new Set([
  'GreaterThanOrEqualToThreshold',
  'GreaterThanThreshold',
  'LessThanThreshold',
  'LessThanOrEqualToThreshold',
]);
const dup = (xs: string[]) => [...new Set(xs.filter((x, i) => xs.indexOf(x) !== i))];

/** What CloudWatch itself would refuse at deploy time, refused at synth time instead. */
export function logAlarmRules<P>(get: (p: P) => LogAlarmsProps | undefined): PropsRule<P>[] {
  const each = <T>(items: (l: LogAlarmsProps) => readonly T[], check: (t: T) => string | null): PropsRule<P> => {
    let found: string[] = [];
    return {
      fails: (p) => {
        const l = get(p);
        found = l
          ? items(l)
              .map(check)
              .filter((m): m is string => m !== null)
          : [];
        return found.length > 0;
      },
      message: () => found.join('\n  - '),
    };
  };
  return [
    each(
      (l) => l.metricFilters,
      (f) =>
        f.metricTransformations.length !== 1
          ? `metric filter on ${f.logGroupName}: exactly one MetricTransformation (CloudWatch allows one)`
          : null,
    ),
    each(
      (l) => l.metricFilters,
      (f) =>
        f.filterPattern.length > 1024
          ? `metric filter on ${f.logGroupName}: FilterPattern is longer than 1024 characters`
          : null,
    ),
    each(
      (l) => l.metricFilters.flatMap((f) => f.metricTransformations),
      (t) =>
        t.defaultValue !== undefined && t.dimensions && Object.keys(t.dimensions).length > 0
          ? `metric ${t.metricName}: DefaultValue and Dimensions cannot be used together`
          : t.dimensions && Object.keys(t.dimensions).length > 3
            ? `metric ${t.metricName}: at most 3 Dimensions`
            : null,
    ),
    each(
      (l) => l.alarms,
      (a) =>
        !(a.period === 10 || a.period === 20 || a.period === 30 || (a.period >= 60 && a.period % 60 === 0))
          ? `alarm ${a.alarmName}: Period ${a.period} must be 10, 20, 30 or a multiple of 60 seconds`
          : null,
    ),
    each(
      (l) => l.alarms,
      (a) =>
        a.period * a.evaluationPeriods > (a.period >= 3600 ? 7 * 86400 : 86400)
          ? `alarm ${a.alarmName}: Period × EvaluationPeriods must not exceed ${a.period >= 3600 ? '7 days' : '1 day'}`
          : null,
    ),
    each(
      (l) => l.alarms,
      (a) =>
        a.evaluationPeriods < 1 ||
        (a.datapointsToAlarm !== undefined && (a.datapointsToAlarm < 1 || a.datapointsToAlarm > a.evaluationPeriods))
          ? `alarm ${a.alarmName}: need 1 ≤ DatapointsToAlarm ≤ EvaluationPeriods`
          : null,
    ),
    each(
      (l) => l.alarms,
      (a) =>
        !!a.statistic === !!a.extendedStatistic
          ? `alarm ${a.alarmName}: give exactly one of Statistic or ExtendedStatistic`
          : null,
    ),
    each(
      (l) => l.alarms,
      (a) =>
        !OPERATORS.has(a.comparisonOperator)
          ? `alarm ${a.alarmName}: ComparisonOperator ${a.comparisonOperator} is not a static-threshold operator`
          : null,
    ),
    each(
      (l) => dup(l.alarms.map((a) => a.alarmName)),
      (name) => `alarm name ${name} is used twice`,
    ),
  ];
}

/**
 * The log groups the legacy host's CloudWatch agent ships to, with metric filters and alarms generated
 * one for one from cairn.yaml's `logs.metricFilters` and `logs.alarms` — the same definitions the
 * local log agent evaluates.
 */
export class LogAlarms extends Construct {
  public readonly logGroups: Record<string, logs.ILogGroup> = {};
  public readonly metricFilters: logs.CfnMetricFilter[] = [];
  public readonly alarms: cloudwatch.CfnAlarm[] = [];

  constructor(scope: Construct, id: string, props: LogAlarmsProps) {
    super(scope, id);
    const groups = [...new Set([...(props.logGroupNames ?? []), ...props.metricFilters.map((f) => f.logGroupName)])];
    groups.forEach((name, i) => {
      this.logGroups[name] =
        props.createLogGroups === false
          ? logs.LogGroup.fromLogGroupName(this, `Group${i}`, name)
          : new logs.LogGroup(this, `Group${i}`, {
              logGroupName: name,
              retention: props.logGroupRetention ?? logs.RetentionDays.ONE_MONTH,
              removalPolicy: RemovalPolicy.RETAIN,
            });
    });
    props.metricFilters.forEach((f, i) => {
      const filter = new logs.CfnMetricFilter(this, `Filter${i}`, {
        logGroupName: f.logGroupName,
        filterName: f.filterName,
        filterPattern: f.filterPattern,
        metricTransformations: f.metricTransformations.map((t) => ({
          metricName: t.metricName,
          metricNamespace: t.metricNamespace,
          metricValue: t.metricValue,
          defaultValue: t.defaultValue,
          unit: t.unit,
          dimensions: t.dimensions ? Object.entries(t.dimensions).map(([key, value]) => ({ key, value })) : undefined,
        })),
      });
      const group = this.logGroups[f.logGroupName]!;
      if (group instanceof logs.LogGroup) filter.node.addDependency(group);
      this.metricFilters.push(filter);
    });
    props.alarms.forEach((a, i) => {
      this.alarms.push(
        new cloudwatch.CfnAlarm(this, `Alarm${i}`, {
          alarmName: a.alarmName,
          alarmDescription: a.alarmDescription,
          namespace: a.namespace,
          metricName: a.metricName,
          dimensions: a.dimensions ? Object.entries(a.dimensions).map(([name, value]) => ({ name, value })) : undefined,
          statistic: a.statistic,
          extendedStatistic: a.extendedStatistic,
          period: a.period,
          evaluationPeriods: a.evaluationPeriods,
          datapointsToAlarm: a.datapointsToAlarm,
          threshold: a.threshold,
          comparisonOperator: a.comparisonOperator,
          treatMissingData: a.treatMissingData,
          unit: a.unit,
        }),
      );
    });
  }
}
