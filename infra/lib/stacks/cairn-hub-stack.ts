import { Annotations, CfnOutput, Duration, Stack, type StackProps } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import type { InfraConfig } from '../config/cairn-config.ts';
import {
  EventNotificationHub,
  type AlarmSpec,
  type EventNotificationHubHandlers,
} from '../constructs/event-notification-hub.ts';
import type { HandlerBundling } from '../constructs/private/handler-function.ts';
import type { AppContext } from '../app-context.ts';

export interface CairnHubStackProps extends StackProps {
  readonly config: InfraConfig;
  readonly context: AppContext;
  readonly handlers: EventNotificationHubHandlers;
  readonly bundling: HandlerBundling;
}

/** The notification hub, configured from cairn.yaml's `alerts` and `logs` sections. */
export class CairnHubStack extends Stack {
  public readonly hub: EventNotificationHub;

  constructor(scope: Construct, id: string, props: CairnHubStackProps) {
    super(scope, id, props);
    const { alerts } = props.config.app;
    const { logs } = props.config;
    for (const [name, src] of Object.entries(alerts.sources)) {
      if (src.verify.secretFile) {
        Annotations.of(this).addWarningV2(
          'cairn:secretFile',
          `alerts.sources.${name}.verify.secretFile has no file on Lambda: use secretEnv, with the value in the ${props.context.appSecretName} secret.`,
        );
      }
    }
    this.hub = new EventNotificationHub(this, 'Hub', {
      handlers: props.handlers,
      bundling: props.bundling,
      maxReceiveCount: alerts.queue.maxReceiveCount,
      deliveryMaxReceiveCount: alerts.delivery.maxReceiveCount,
      sesIdentity: props.context.sesIdentity,
      emailChannels: Object.entries(alerts.channels)
        .filter(([, c]) => c.type === 'email')
        .map(([name]) => name),
      visibilityTimeout: Duration.seconds(Math.max(30, alerts.queue.visibilityTimeout)),
      subscriptions: alerts.subscriptions.map((s) => ({
        name: s.name,
        filterPolicy: s.filterPolicy,
        filterPolicyScope: s.filterPolicyScope,
        maxReceiveCount: s.maxReceiveCount,
      })),
      appSecret: secretsmanager.Secret.fromSecretNameV2(this, 'AppSecret', props.context.appSecretName),
      logGroupNames: Object.keys(logs.groups),
      metricFilters: logs.metricFilters.map((f) => ({
        logGroupName: f.logGroup,
        filterName: f.name,
        filterPattern: f.FilterPattern,
        metricTransformations: f.MetricTransformations.map((t) => ({
          metricName: t.MetricName,
          metricNamespace: t.MetricNamespace,
          metricValue: t.MetricValue,
          defaultValue: t.DefaultValue,
          unit: t.Unit,
          dimensions: t.Dimensions ? Object.fromEntries(t.Dimensions.map((d) => [d.Key, d.Value])) : undefined,
        })),
      })),
      alarms: logs.alarms.map((a) => ({
        alarmName: a.AlarmName,
        alarmDescription: a.AlarmDescription,
        namespace: a.Namespace,
        metricName: a.MetricName,
        dimensions: Object.keys(a.Dimensions).length > 0 ? a.Dimensions : undefined,
        statistic: a.Statistic,
        extendedStatistic: a.ExtendedStatistic,
        period: a.Period,
        evaluationPeriods: a.EvaluationPeriods,
        datapointsToAlarm: a.DatapointsToAlarm,
        threshold: a.Threshold,
        comparisonOperator: a.ComparisonOperator,
        treatMissingData: a.TreatMissingData as AlarmSpec['treatMissingData'],
        unit: a.Unit,
      })),
      forwardAllAlarms: props.context.alarmsFromAllSources,
      removalPolicy: props.context.removalPolicy,
      deletionProtection: props.context.deletionProtection,
    });
    new CfnOutput(this, 'HooksUrl', {
      value: `${this.hub.hooksApi.hooksUrl}/{source}`,
      description: 'POST webhooks here',
    });
    new CfnOutput(this, 'TopicArn', { value: this.hub.topic.topicArn });
    new CfnOutput(this, 'EventsQueueUrl', { value: this.hub.eventsQueue.queueUrl });
  }
}
