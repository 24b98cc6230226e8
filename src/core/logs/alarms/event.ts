import { eventIdFor } from '../../alerts/ingest/service.ts';
import type { IngestedEvent } from '../../alerts/model.ts';
import type { AlarmDefinition, AlarmStateValue } from './model.ts';

/** The hub source name alarm events arrive under (configure it in alerts.sources: see README.md here). */
export const CLOUDWATCH_SOURCE = 'cloudwatch';

export interface AlarmEventContext {
  /** The AWS account and region the event names (locally `000000000000` and `local` unless configured). */
  readonly account: string;
  readonly region: string;
}

export const alarmArn = (ctx: AlarmEventContext, name: string): string =>
  `arn:aws:cloudwatch:${ctx.region}:${ctx.account}:alarm:${name}`;

/**
 * EventBridge's "CloudWatch Alarm State Change" event for one transition, with the fields AWS sends
 * (`detail.alarmName`, `detail.state`, `detail.previousState`, `detail.configuration.metrics`). The
 * alarm's labels ride along in `detail.labels`, a Cairn addition that AWS events do not have.
 */
export function alarmStateChangeEvent(
  alarm: AlarmDefinition,
  previous: AlarmStateValue,
  state: AlarmStateValue,
  ctx: AlarmEventContext,
  id: string,
): Record<string, unknown> {
  const stateJson = (s: AlarmStateValue) => ({
    value: s.value,
    reason: s.reason,
    ...(s.reasonData ? { reasonData: s.reasonData } : {}),
    timestamp: s.timestamp,
  });
  return {
    version: '0',
    id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: ctx.account,
    time: state.timestamp.replace(/\.\d{3}\+0000$/, 'Z'),
    region: ctx.region,
    resources: [alarmArn(ctx, alarm.AlarmName)],
    detail: {
      alarmName: alarm.AlarmName,
      state: stateJson(state),
      previousState: stateJson(previous),
      configuration: {
        ...(alarm.AlarmDescription ? { description: alarm.AlarmDescription } : {}),
        metrics: [
          {
            id: 'm1',
            metricStat: {
              metric: { namespace: alarm.Namespace, name: alarm.MetricName, dimensions: { ...alarm.Dimensions } },
              period: alarm.Period,
              stat: alarm.statistic,
              ...(alarm.Unit ? { unit: alarm.Unit } : {}),
            },
            returnData: true,
          },
        ],
      },
      ...(Object.keys(alarm.labels).length > 0 ? { labels: { ...alarm.labels } } : {}),
    },
  };
}

/** The dedup id of a transition on the `events` queue: the alarm's name and the change's timestamp. */
export const transitionDeliveryId = (alarmName: string, stateTimestamp: string): string =>
  `${alarmName}@${stateTimestamp}`;

/** What goes on the hub's `events` queue for a transition (source `cloudwatch`). */
export function alarmIngestedEvent(
  event: Record<string, unknown>,
  alarmName: string,
  stateTimestamp: string,
  receivedAt: Date,
): IngestedEvent {
  const deliveryId = transitionDeliveryId(alarmName, stateTimestamp);
  return {
    eventId: eventIdFor(CLOUDWATCH_SOURCE, deliveryId),
    source: CLOUDWATCH_SOURCE,
    receivedAt: receivedAt.toISOString(),
    deliveryId,
    rawBody: JSON.stringify(event),
    headers: { 'content-type': 'application/json' },
  };
}
