import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { TABLE_INDEX_WILDCARD, allowWildcards } from './private/acknowledgements.ts';
import { DataTable } from './private/data-table.ts';
import { EVENTS_TABLE, HUB_TABLE } from './private/tables.ts';
import { grantPublish, grantTable } from './private/grants.ts';
import { HandlerFunction, type HandlerBundling } from './private/handler-function.ts';
import { HooksApi } from './private/hooks-api.ts';
import { LogAlarms, type AlarmSpec, type MetricFilterSpec } from './private/log-alarms.ts';
import { QueueWithDlq } from './private/queue-with-dlq.ts';
import { TopicQueueSubscription } from './private/topic-queue-subscription.ts';
import { EVENT_NOTIFICATION_HUB_RULES } from './private/event-notification-hub-rules.ts';
import { validateProps } from './private/validation.ts';

export type { AlarmSpec, MetricFilterSpec };

/** Lambda entries (TypeScript files, relative to bundling.projectRoot). */
export interface EventNotificationHubHandlers {
  /** Verifies, normalises, enriches, records and publishes, e.g. src/runtime/lambda/enrich-worker.ts. */
  readonly enrich: string;
  /** Silences, routes and groups events, queueing notifications, e.g. src/runtime/lambda/notifier.ts. */
  readonly notifier: string;
  /** Formats and sends each notification to its channel, e.g. src/runtime/lambda/channel-sender.ts. */
  readonly channelSender: string;
  /** Delivers to subscribed HTTPS endpoints, e.g. src/runtime/lambda/subscription-deliverer.ts. */
  readonly subscriptionDeliverer: string;
}

/** A subscription of cairn.yaml's alerts.subscriptions: its own queue, filter policy and DLQ. */
export interface HubSubscription {
  readonly name: string;
  readonly filterPolicy?: Record<string, unknown>;
  /** @default 'MessageAttributes' */
  readonly filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  /** @default 10 */
  readonly maxReceiveCount?: number;
}

export interface EventNotificationHubProps {
  readonly handlers: EventNotificationHubHandlers;
  readonly bundling: HandlerBundling;
  /** alerts.queue.maxReceiveCount: receives before a message goes to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /**
   * alerts.delivery.maxReceiveCount: receives before a channel message, or a subscription's delivery
   * without its own count, goes to a DLQ. Receivers outside Cairn get longer than the hub's queues.
   * @default 15
   */
  readonly deliveryMaxReceiveCount?: number;
  /** alerts.queue.visibilityTimeout; at least the enrich function's timeout. @default 30 seconds */
  readonly visibilityTimeout?: Duration;
  /** @default 30 seconds */
  readonly enrichTimeout?: Duration;
  readonly subscriptions?: readonly HubSubscription[];
  /**
   * Deliver the subscriptions made at runtime through the API (stored in the state table): one queue
   * fed every event and one deliverer that applies their filter policies. @default true
   */
  readonly runtimeSubscriptions?: boolean;
  /**
   * The SES identity e-mail channels send as: a verified domain or address (in this stack's region), or
   * an identity ARN (a token is taken as an ARN, e.g. `ses.EmailIdentity#emailIdentityArn`). Only the
   * channel sender may send, and only as this identity.
   */
  readonly sesIdentity?: string;
  /** cairn.yaml's e-mail channels, by name: with any, sesIdentity is required (mail goes out through SES). */
  readonly emailChannels?: readonly string[];
  /** A filter policy on the notifier's subscription (SNS syntax); none: the notifier sees every event. */
  readonly notifierFilterPolicy?: Record<string, unknown>;
  /**
   * The application secret (JSON of names to values): the `*Env` names of cairn.yaml — source
   * verification secrets, channel keys, subscription secrets. Referenced, never created here: its
   * values must not pass through a template.
   */
  readonly appSecret?: secretsmanager.ISecret;
  /** Labels sent as SNS message attributes after the built-in six (SNS_ATTRIBUTE_LABELS, at most four). */
  readonly attributeLabels?: readonly string[];
  /** The base URL of the web UI, for links in notifications. */
  readonly publicUrl?: string;
  /** Log groups the legacy host's CloudWatch agent writes to (cairn.yaml logs.groups). */
  readonly logGroupNames?: readonly string[];
  readonly metricFilters?: readonly MetricFilterSpec[];
  readonly alarms?: readonly AlarmSpec[];
  /** Make the log groups the metric filters name. @default true */
  readonly createLogGroups?: boolean;
  /** Forward every CloudWatch alarm of the account and region, not only the hub's own. @default false */
  readonly forwardAllAlarms?: boolean;
  /** Use this key for the topic and tables; none: one is made. */
  readonly existingEncryptionKey?: kms.IKey;
  /** @default { rateLimit: 20, burstLimit: 40 } */
  readonly hooksThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  readonly webAclArn?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** @default true */
  readonly deletionProtection?: boolean;
}

/**
 * The event notification hub on AWS: webhooks land in SQS straight from API Gateway, CloudWatch alarm
 * state changes arrive through EventBridge, the enrich worker records history in DynamoDB and
 * publishes to SNS, and SNS fans out to the notifier and to each subscription's queue — every queue
 * with its DLQ and an alarm on the DLQ's depth.
 */
export class EventNotificationHub extends Construct {
  public readonly encryptionKey: kms.IKey;
  public readonly events: QueueWithDlq;
  public readonly hooksApi: HooksApi;
  public readonly historyTable: dynamodb.Table;
  public readonly stateTable: dynamodb.Table;
  public readonly topic: sns.Topic;
  public readonly enrichFunction: HandlerFunction;
  public readonly notifier: QueueWithDlq;
  /** One queue for every channel (a message names its channel). */
  public readonly channels: QueueWithDlq;
  public readonly notifierFunction: HandlerFunction;
  /** Flushes notification groups whose wait ended in a quiet minute. */
  public readonly notifierTick: events.Rule;
  public readonly channelSenderFunction: HandlerFunction;
  public readonly subscriptionQueues: Record<string, QueueWithDlq> = {};
  /** One deliverer per subscription (SUBSCRIPTION_NAME), so each has its own queue, DLQ and retries. */
  public readonly subscriptionFunctions: Record<string, HandlerFunction> = {};
  /** The queue and deliverer of the subscriptions made through the API (SUBSCRIPTION_ORIGIN=runtime). */
  public readonly runtimeSubscriptionQueue?: QueueWithDlq;
  public readonly runtimeSubscriptionFunction?: HandlerFunction;
  public readonly logAlarms: LogAlarms;
  public readonly alarmRule: events.Rule;
  public readonly dlqAlarms: cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: EventNotificationHubProps) {
    super(scope, id);
    validateProps('EventNotificationHub', props, EVENT_NOTIFICATION_HUB_RULES);
    const deliveryReceives = props.deliveryMaxReceiveCount ?? 15;
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const deletionProtection = props.deletionProtection ?? true;
    const visibilityTimeout = props.visibilityTimeout ?? Duration.seconds(30);

    this.encryptionKey =
      props.existingEncryptionKey ??
      new kms.Key(this, 'Key', { description: 'Cairn hub: topic and tables', enableKeyRotation: true, removalPolicy });

    this.events = new QueueWithDlq(this, 'Events', {
      purpose: 'the events queue (webhooks, alarms, domain events)',
      maxReceiveCount: props.maxReceiveCount ?? 5,
      visibilityTimeout,
    });
    this.hooksApi = new HooksApi(this, 'Hooks', {
      queue: this.events.queue,
      throttle: props.hooksThrottle ?? { rateLimit: 20, burstLimit: 40 },
      webAclArn: props.webAclArn,
    });

    const tableProps = { encryptionKey: this.encryptionKey, removalPolicy, deletionProtection };
    this.historyTable = new DataTable(this, 'History', {
      ...tableProps,
      purpose: 'event history',
      definition: EVENTS_TABLE,
    }).table;
    this.stateTable = new DataTable(this, 'State', {
      ...tableProps,
      purpose: 'deliveries, groups, silences, queue ledger',
      definition: HUB_TABLE,
    }).table;

    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Cairn events',
      masterKey: this.encryptionKey,
      enforceSSL: true,
    });
    this.channels = new QueueWithDlq(this, 'Channels', {
      purpose: 'the channels queue (Slack, PagerDuty, e-mail, …)',
      maxReceiveCount: deliveryReceives,
      visibilityTimeout: Duration.seconds(60),
    });

    const common: Record<string, string> = {
      [EVENTS_TABLE.env]: this.historyTable.tableName,
      [HUB_TABLE.env]: this.stateTable.tableName,
      TOPIC_ARN: this.topic.topicArn,
      EVENTS_QUEUE_URL: this.events.queue.queueUrl,
      EVENTS_DLQ_URL: this.events.deadLetterQueue.queueUrl,
      CHANNELS_QUEUE_URL: this.channels.queue.queueUrl,
      CHANNELS_DLQ_URL: this.channels.deadLetterQueue.queueUrl,
      ...(props.appSecret ? { APP_SECRET_ID: props.appSecret.secretName } : {}),
      ...(props.attributeLabels?.length ? { SNS_ATTRIBUTE_LABELS: props.attributeLabels.join(',') } : {}),
      ...(props.publicUrl ? { PUBLIC_URL: props.publicUrl } : {}),
    };
    const hubFunction = (
      id: string,
      entry: string,
      description: string,
      timeout: Duration,
      extra: Record<string, string> = {},
    ) => {
      const fn = new HandlerFunction(this, id, {
        ...props.bundling,
        entry,
        description,
        timeout,
        environment: { ...common, ...extra },
      });
      // Every hub function reads the history and keeps state (deliveries, groups, the queue ledger).
      grantTable(this.historyTable, fn.role, 'readWrite');
      grantTable(this.stateTable, fn.role, 'readWrite');
      props.appSecret?.grantRead(fn.role);
      return fn;
    };

    this.enrichFunction = hubFunction(
      'EnrichHandler',
      props.handlers.enrich,
      'Cairn hub: verify, enrich, record and publish events',
      props.enrichTimeout ?? Duration.seconds(30),
    );
    this.enrichFunction.function.addEventSource(
      new SqsEventSource(this.events.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(1),
        reportBatchItemFailures: true,
      }),
    );
    grantPublish(this.topic, this.enrichFunction.role);
    // Retrying later is a ChangeMessageVisibility (backoff), which consuming grants.

    this.notifier = new QueueWithDlq(this, 'Notify', {
      purpose: 'the notifier queue',
      maxReceiveCount: props.maxReceiveCount ?? 5,
      visibilityTimeout: Duration.seconds(60),
    });
    new TopicQueueSubscription(this, 'NotifierSubscription', {
      topic: this.topic,
      queue: this.notifier.queue,
      filterPolicy: props.notifierFilterPolicy,
    });
    this.notifierFunction = hubFunction(
      'NotifierHandler',
      props.handlers.notifier,
      'Cairn hub: silences, routes and grouping',
      Duration.seconds(60),
    );
    this.notifierFunction.function.addEventSource(
      new SqsEventSource(this.notifier.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    this.channels.queue.grantSendMessages(this.notifierFunction.role);
    this.notifierTick = new events.Rule(this, 'NotifierTick', {
      description: 'Cairn hub: flush notification groups that are due',
      schedule: events.Schedule.rate(Duration.minutes(1)),
      targets: [
        new targets.LambdaFunction(this.notifierFunction.function, {
          retryAttempts: 0,
          maxEventAge: Duration.minutes(1),
        }),
      ],
    });

    this.channelSenderFunction = hubFunction(
      'ChannelSenderHandler',
      props.handlers.channelSender,
      'Cairn hub: formats and sends notifications to channels',
      Duration.seconds(60),
    );
    this.channelSenderFunction.function.addEventSource(
      new SqsEventSource(this.channels.queue, { batchSize: 10, reportBatchItemFailures: true }),
    );
    // Retrying a failed send later re-queues it with a delay.
    this.channels.queue.grantSendMessages(this.channelSenderFunction.role);
    if (props.sesIdentity) {
      const identityArn =
        Token.isUnresolved(props.sesIdentity) || props.sesIdentity.startsWith('arn:')
          ? props.sesIdentity
          : Stack.of(this).formatArn({ service: 'ses', resource: 'identity', resourceName: props.sesIdentity });
      this.channelSenderFunction.function.addEnvironment('SES_IDENTITY_ARN', identityArn);
      // SESv2 SendEmail with raw content: sending as this identity only.
      this.channelSenderFunction.role.addToPolicy(
        new iam.PolicyStatement({ actions: ['ses:SendEmail', 'ses:SendRawEmail'], resources: [identityArn] }),
      );
    }

    for (const s of props.subscriptions ?? []) {
      const q = new QueueWithDlq(this, `Sub-${s.name}`, {
        purpose: `subscription ${s.name}`,
        maxReceiveCount: s.maxReceiveCount ?? deliveryReceives,
        visibilityTimeout: Duration.seconds(60),
      });
      new TopicQueueSubscription(q, 'Subscription', {
        topic: this.topic,
        queue: q.queue,
        filterPolicy: s.filterPolicy,
        filterPolicyScope: s.filterPolicyScope,
      });
      const fn = hubFunction(
        `Deliver-${s.name}`,
        props.handlers.subscriptionDeliverer,
        `Cairn hub: delivers events to subscription ${s.name}`,
        Duration.seconds(60),
        {
          SUBSCRIPTION_NAME: s.name,
        },
      );
      fn.function.addEventSource(new SqsEventSource(q.queue, { batchSize: 10, reportBatchItemFailures: true }));
      this.subscriptionQueues[s.name] = q;
      this.subscriptionFunctions[s.name] = fn;
    }

    if (props.runtimeSubscriptions ?? true) {
      const q = new QueueWithDlq(this, 'RuntimeSubscriptions', {
        purpose: 'the subscriptions made through the API',
        maxReceiveCount: deliveryReceives,
        visibilityTimeout: Duration.seconds(60),
      });
      // No filter policy: policies of subscriptions made at runtime are applied by the deliverer.
      new TopicQueueSubscription(q, 'Subscription', { topic: this.topic, queue: q.queue });
      const fn = hubFunction(
        'DeliverRuntime',
        props.handlers.subscriptionDeliverer,
        'Cairn hub: delivers events to the subscriptions made through the API',
        Duration.seconds(60),
        { SUBSCRIPTION_ORIGIN: 'runtime' },
      );
      fn.function.addEventSource(new SqsEventSource(q.queue, { batchSize: 10, reportBatchItemFailures: true }));
      this.runtimeSubscriptionQueue = q;
      this.runtimeSubscriptionFunction = fn;
    }

    this.logAlarms = new LogAlarms(this, 'LogAlarms', {
      logGroupNames: props.logGroupNames,
      metricFilters: props.metricFilters ?? [],
      alarms: props.alarms ?? [],
      createLogGroups: props.createLogGroups,
      logGroupRetention: logs.RetentionDays.ONE_MONTH,
    });

    this.dlqAlarms = [
      this.events,
      this.notifier,
      this.channels,
      ...Object.values(this.subscriptionQueues),
      ...(this.runtimeSubscriptionQueue ? [this.runtimeSubscriptionQueue] : []),
    ].map((q) => q.dlqAlarm);
    const alarmArns = [...this.logAlarms.alarms.map((a) => a.attrArn), ...this.dlqAlarms.map((a) => a.alarmArn)];
    this.alarmRule = new events.Rule(this, 'AlarmStateChanges', {
      description: 'Cairn hub: CloudWatch alarm state changes become events on the queue',
      eventPattern: {
        source: ['aws.cloudwatch'],
        detailType: ['CloudWatch Alarm State Change'],
        ...(props.forwardAllAlarms ? {} : { resources: alarmArns }),
      },
      targets: [new targets.SqsQueue(this.events.queue, { retryAttempts: 10, maxEventAge: Duration.hours(24) })],
    });

    allowWildcards(this, [TABLE_INDEX_WILDCARD]);
  }

  /** The events queue, where other capabilities (sharing, backups) send their domain events. */
  get eventsQueue(): sqs.IQueue {
    return this.events.queue;
  }
}
