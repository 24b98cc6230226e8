/** The log agent's API shapes (src/http/routes/logs.ts): metrics, datapoints, alarms and TestMetricFilter. */
export interface MetricSummary {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  unit: string | null;
  lastAt: string;
}

export interface Datapoint {
  timestamp: string;
  value: number;
  sampleCount: number;
}

export interface MetricData {
  namespace: string;
  name: string;
  dimensions: Record<string, string>;
  stat: string;
  period: number;
  from: string;
  to: string;
  datapoints: Datapoint[];
}

export type AlarmStateName = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

export interface AlarmHistoryItem {
  id: string;
  alarmName: string;
  timestamp: string;
  oldState: AlarmStateName;
  newState: AlarmStateName;
  reason: string;
}

export interface AlarmItem {
  AlarmName: string;
  AlarmDescription?: string;
  Namespace: string;
  MetricName: string;
  Dimensions: Record<string, string>;
  statistic: string;
  Period: number;
  EvaluationPeriods: number;
  DatapointsToAlarm: number;
  Threshold: number;
  ComparisonOperator: string;
  TreatMissingData: string;
  state: { value: AlarmStateName; reason: string; reasonData: string | null; timestamp: string } | null;
  evaluatedAt: string | null;
  history: AlarmHistoryItem[];
}

export interface FilterMatch {
  eventNumber: number;
  eventMessage: string;
  extractedValues: Record<string, string>;
}

/** Same series: namespace, name and the same dimensions. */
export function sameSeries(
  a: { namespace: string; name: string; dimensions: Record<string, string> },
  alarm: AlarmItem,
): boolean {
  if (a.namespace !== alarm.Namespace || a.name !== alarm.MetricName) return false;
  const x = Object.entries(a.dimensions);
  const y = alarm.Dimensions ?? {};
  return x.length === Object.keys(y).length && x.every(([k, v]) => y[k] === v);
}

export const COMPARISON_SIGNS: Record<string, string> = {
  GreaterThanThreshold: '>',
  GreaterThanOrEqualToThreshold: '≥',
  LessThanThreshold: '<',
  LessThanOrEqualToThreshold: '≤',
};
