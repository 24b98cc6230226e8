import {
  type AlarmComparison,
  type AlarmDatapoint,
  type AlarmDefinition,
  type AlarmState,
  cloudWatchTime,
} from './model.ts';

/**
 * How many of the most recent periods an evaluation looks at: CloudWatch retrieves more datapoints than
 * EvaluationPeriods (its docs show 5 for 3), so that a few missing ones need no TreatMissingData.
 */
export const evaluationRange = (a: Pick<AlarmDefinition, 'EvaluationPeriods'>): number => a.EvaluationPeriods + 2;

export interface AlarmEvaluation {
  /** The new state; `undefined` when TreatMissingData `ignore` keeps the current one. */
  readonly state: AlarmState | undefined;
  readonly reason: string;
  readonly reasonData: string;
}

const PHRASE: Record<AlarmComparison, string> = {
  GreaterThanThreshold: 'greater than',
  GreaterThanOrEqualToThreshold: 'greater than or equal to',
  LessThanThreshold: 'less than',
  LessThanOrEqualToThreshold: 'less than or equal to',
};

export function breaches(op: AlarmComparison, value: number, threshold: number): boolean {
  switch (op) {
    case 'GreaterThanThreshold':
      return value > threshold;
    case 'GreaterThanOrEqualToThreshold':
      return value >= threshold;
    case 'LessThanThreshold':
      return value < threshold;
    case 'LessThanOrEqualToThreshold':
      return value <= threshold;
  }
}

/**
 * CloudWatch's evaluation of one alarm over its evaluation range (`points`, oldest first), as its user
 * guide describes it ("How alarm state is evaluated when data is missing", both tables are tests):
 * - no datapoint at all: missing → INSUFFICIENT_DATA, ignore → keep the state, breaching → ALARM,
 *   notBreaching → OK;
 * - at least EvaluationPeriods real datapoints: the most recent EvaluationPeriods of them decide, and
 *   TreatMissingData is not used;
 * - fewer: every real datapoint counts, and missing ones are filled in as few times as possible (the
 *   most recent missing periods first). breaching/notBreaching fill with that; with missing and ignore a
 *   fill is unknown: M real breaching → ALARM, any real non-breaching → OK, else ignore keeps the state
 *   and missing gives ALARM only when the oldest evaluated datapoint is a real breaching one.
 * ALARM needs DatapointsToAlarm breaching datapoints among those evaluated; otherwise OK.
 */
export function evaluateAlarm(
  alarm: AlarmDefinition,
  points: readonly AlarmDatapoint[],
  current: AlarmState,
  nowMs: number,
): AlarmEvaluation {
  const N = alarm.EvaluationPeriods;
  const M = alarm.DatapointsToAlarm;
  const isBreach = (v: number) => breaches(alarm.ComparisonOperator, v, alarm.Threshold);
  const realIdx = points.flatMap((p, i) => (p.value === undefined ? [] : [i]));
  const data = (evaluated: readonly AlarmDatapoint[]) => reasonData(alarm, evaluated, points, nowMs);
  const treat = alarm.TreatMissingData;

  if (realIdx.length === 0) {
    const n = points.length;
    const data0 = data([]);
    if (treat === 'missing')
      return {
        state: 'INSUFFICIENT_DATA',
        reason: `Insufficient Data: ${n} ${dp(n)} ${were(n)} unknown.`,
        reasonData: data0,
      };
    if (treat === 'ignore') return { state: undefined, reason: '', reasonData: data0 };
    const as = treat === 'breaching' ? 'Breaching' : 'NonBreaching';
    return {
      state: treat === 'breaching' ? 'ALARM' : 'OK',
      reason: `Threshold Crossed: no datapoints were received for ${n} period${n === 1 ? '' : 's'} and ${n} missing ${dp(n)} ${were(n)} treated as [${as}].`,
      reasonData: data0,
    };
  }

  if (realIdx.length >= N) {
    const evaluated = realIdx.slice(-N).map((i) => points[i]!);
    const k = evaluated.filter((p) => isBreach(p.value!)).length;
    return threshold(alarm, current, evaluated, k >= M, 0, data(evaluated));
  }

  const real = realIdx.map((i) => points[i]!);
  const realBreaching = real.filter((p) => isBreach(p.value!)).length;
  const fills = N - real.length;
  if (treat === 'breaching' || treat === 'notBreaching') {
    const k = realBreaching + (treat === 'breaching' ? fills : 0);
    return threshold(alarm, current, real, k >= M, fills, data(real));
  }
  if (realBreaching >= M) return threshold(alarm, current, real, true, 0, data(real));
  if (realBreaching < real.length) return threshold(alarm, current, real, false, 0, data(real));
  if (treat === 'ignore') return { state: undefined, reason: '', reasonData: data(real) };
  const missingIdx = points.flatMap((p, i) => (p.value === undefined ? [i] : []));
  const earliestFill = Math.min(...missingIdx.slice(-fills));
  if (realIdx[0]! < earliestFill) return threshold(alarm, current, real, true, 0, data(real));
  const unknown = fills;
  return {
    state: 'INSUFFICIENT_DATA',
    reason: `Insufficient Data: ${unknown} ${dp(unknown)} ${were(unknown)} unknown.`,
    reasonData: data(real),
  };
}

function threshold(
  alarm: AlarmDefinition,
  current: AlarmState,
  evaluated: readonly AlarmDatapoint[],
  alarming: boolean,
  filled: number,
  reasonData: string,
): AlarmEvaluation {
  const N = alarm.EvaluationPeriods;
  const M = alarm.DatapointsToAlarm;
  const isBreach = (v: number) => breaches(alarm.ComparisonOperator, v, alarm.Threshold);
  const shown = [...evaluated].reverse().filter((p) => isBreach(p.value!) === alarming);
  const k = shown.length;
  const list = shown.map((p) => `${javaDouble(p.value!)} (${shortTime(p.timestamp)})`).join(', ');
  const minimum = alarming ? M : N - M + 1;
  const from = current === 'INSUFFICIENT_DATA' ? 'INSUFFICIENT_DATA' : alarming ? 'OK' : 'ALARM';
  const to = alarming ? 'ALARM' : 'OK';
  const fillNote =
    filled > 0
      ? ` (${filled} missing ${dp(filled)} treated as [${alarm.TreatMissingData === 'breaching' ? 'Breaching' : 'NonBreaching'}])`
      : '';
  const reason =
    `Threshold Crossed: ${k} out of the last ${N} datapoints [${list}] ${k === 1 ? 'was' : 'were'} ` +
    `${alarming ? '' : 'not '}${PHRASE[alarm.ComparisonOperator]} the threshold (${javaDouble(alarm.Threshold)})` +
    `${fillNote} (minimum ${minimum} ${dp(minimum)} for ${from} -> ${to} transition).`;
  return { state: to, reason, reasonData };
}

function reasonData(
  alarm: AlarmDefinition,
  evaluated: readonly AlarmDatapoint[],
  range: readonly AlarmDatapoint[],
  nowMs: number,
): string {
  const start = (evaluated[0] ?? range[0])?.timestamp ?? nowMs;
  const basic = !/^p/.test(alarm.statistic);
  return JSON.stringify({
    version: '1.0',
    queryDate: cloudWatchTime(nowMs),
    startDate: cloudWatchTime(start),
    ...(basic ? { statistic: alarm.statistic } : { extendedStatistic: alarm.statistic }),
    ...(alarm.Unit ? { unit: alarm.Unit } : {}),
    period: alarm.Period,
    recentDatapoints: evaluated.map((p) => p.value),
    threshold: alarm.Threshold,
    evaluatedDatapoints: [...evaluated]
      .reverse()
      .map((p) => ({ timestamp: cloudWatchTime(p.timestamp), sampleCount: p.sampleCount, value: p.value })),
  });
}

const dp = (n: number) => (n === 1 ? 'datapoint' : 'datapoints');
const were = (n: number) => (n === 1 ? 'was' : 'were');

/** Numbers as CloudWatch's reasons print them (Java doubles: `5.0`, `0.25`). */
export const javaDouble = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : String(v));

/** `08/11/22 11:25:00`: day/month/year, UTC, as in CloudWatch's reasons. */
function shortTime(ms: number): string {
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${two(d.getUTCMonth() + 1)}/${two(d.getUTCFullYear() % 100)} ` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}`
  );
}
