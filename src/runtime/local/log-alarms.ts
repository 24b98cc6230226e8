/**
 * Evaluates the configured alarms once per period (shortly after each period closes), records every
 * state change with its EventBridge event, and puts those events on the hub's `events` queue.
 */
import type { Clock } from '../../core/clock.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import {
  type AlarmDatapoint,
  type AlarmDefinition,
  type AlarmEventContext,
  type AlarmStateValue,
  alarmIngestedEvent,
  alarmStateChangeEvent,
  cloudWatchTime,
  evaluateAlarm,
  evaluationRange,
} from '../../core/logs/alarms/index.ts';
import type { AlarmConfig } from '../../config/logs.ts';
import type { SqliteAlarmStore } from '../../adapters/local/logs/alarm-store.ts';
import type { SqliteMetricStore } from '../../adapters/local/logs/metric-store.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Queue } from '../../ports/queue.ts';

export const toAlarmDefinition = (a: AlarmConfig): AlarmDefinition => ({
  AlarmName: a.AlarmName,
  AlarmDescription: a.AlarmDescription,
  Namespace: a.Namespace,
  MetricName: a.MetricName,
  Dimensions: a.Dimensions,
  statistic: (a.Statistic ?? a.ExtendedStatistic)!,
  Period: a.Period,
  EvaluationPeriods: a.EvaluationPeriods,
  DatapointsToAlarm: a.DatapointsToAlarm ?? a.EvaluationPeriods,
  Threshold: a.Threshold,
  ComparisonOperator: a.ComparisonOperator as AlarmDefinition['ComparisonOperator'],
  TreatMissingData: a.TreatMissingData as AlarmDefinition['TreatMissingData'],
  Unit: a.Unit,
  labels: a.labels,
});

export interface AlarmRunnerDeps {
  alarms: readonly AlarmDefinition[];
  metrics: SqliteMetricStore;
  store: SqliteAlarmStore;
  events: Queue<IngestedEvent>;
  clock: Clock;
  logger: Logger;
  context: AlarmEventContext;
  /** Seconds after a period closes before it is evaluated. */
  delaySeconds: number;
}

export class AlarmRunner {
  constructor(private readonly d: AlarmRunnerDeps) {
    const now = d.clock.now().getTime();
    const initial: AlarmStateValue = {
      value: 'INSUFFICIENT_DATA',
      reason: 'Unchecked: Initial alarm creation',
      timestamp: cloudWatchTime(now),
    };
    for (const a of d.alarms) d.store.ensure(a.AlarmName, initial);
  }

  definitions(): readonly AlarmDefinition[] {
    return this.d.alarms;
  }

  /** Alarms whose latest closed period has not been evaluated yet. */
  due(nowMs: number): AlarmDefinition[] {
    return this.d.alarms.filter((a) => {
      const end = this.periodEnd(a, nowMs);
      const last = this.d.store.state(a.AlarmName)?.lastPeriodEnd ?? null;
      return last === null || end > last;
    });
  }

  /** Evaluates the given alarms at `nowMs`; returns how many changed state. */
  evaluate(alarms: readonly AlarmDefinition[], nowMs: number): number {
    let changed = 0;
    for (const a of alarms) {
      try {
        if (this.evaluateOne(a, nowMs)) changed++;
      } catch (err) {
        this.d.logger.error({ alarm: a.AlarmName, err: String(err) }, 'alarm evaluation failed');
      }
    }
    return changed;
  }

  /** Puts recorded transitions on the `events` queue (again after a crash: the dedup id drops repeats). */
  async deliver(): Promise<number> {
    let sent = 0;
    for (const row of this.d.store.unqueued()) {
      try {
        await this.d.events.send(row.event, { dedupId: `${row.event.source}:${row.event.deliveryId}` });
      } catch (err) {
        this.d.logger.warn({ err: String(err), eventId: row.event.eventId }, 'alarm event not queued yet; will retry');
        return sent;
      }
      this.d.store.markQueued(row.id, this.d.clock.now().getTime());
      sent++;
    }
    return sent;
  }

  /** The datapoints an evaluation at `nowMs` looks at (oldest first), for the API and tests. */
  datapoints(a: AlarmDefinition, nowMs: number): AlarmDatapoint[] {
    const end = this.periodEnd(a, nowMs);
    const p = a.Period * 1000;
    const r = evaluationRange(a);
    const series = { namespace: a.Namespace, name: a.MetricName, dimensions: a.Dimensions };
    const got = new Map(
      this.d.metrics.statistics(series, a.statistic, a.Period, end - r * p, end, nowMs).map((d) => [d.bucket, d]),
    );
    return Array.from({ length: r }, (_, i) => {
      const t = end - (r - i) * p;
      const d = got.get(t);
      return { timestamp: t, value: d?.value, sampleCount: d?.sampleCount ?? 0 };
    });
  }

  private periodEnd(a: AlarmDefinition, nowMs: number): number {
    const p = a.Period * 1000;
    return Math.floor((nowMs - this.d.delaySeconds * 1000) / p) * p;
  }

  private evaluateOne(a: AlarmDefinition, nowMs: number): boolean {
    const current = this.d.store.state(a.AlarmName)!;
    const end = this.periodEnd(a, nowMs);
    const result = evaluateAlarm(a, this.datapoints(a, nowMs), current.value, nowMs);
    if (result.state === undefined || result.state === current.value) {
      this.d.store.evaluated(a.AlarmName, end, nowMs);
      return false;
    }
    const next: AlarmStateValue = {
      value: result.state,
      reason: result.reason,
      reasonData: result.reasonData,
      timestamp: cloudWatchTime(nowMs),
    };
    const event = alarmStateChangeEvent(a, current, next, this.d.context, globalThis.crypto.randomUUID());
    const ingested = alarmIngestedEvent(event, a.AlarmName, next.timestamp, new Date(nowMs));
    this.d.store.transition(a.AlarmName, current.value, next, end, nowMs, ingested);
    this.d.logger.info(
      { alarm: a.AlarmName, from: current.value, to: next.value, reason: next.reason },
      'alarm state changed',
    );
    return true;
  }
}
