import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput, EVENTS_TABLE, HUB_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { EventNotificationHub, type EventNotificationHubProps } from '../lib/constructs/event-notification-hub.ts';
import { InvalidPropsError } from '../lib/constructs/private/validation.ts';
import {
  PLACEHOLDER,
  PROJECT_ROOT,
  acknowledgements,
  actionsOf,
  allowStatements,
  isServiceWildcard,
  logicalId,
  nagFindings,
  RESOURCELESS_ACTIONS,
  resourcesOf,
  synth,
  testStack,
} from './helpers.ts';

const props: EventNotificationHubProps = {
  handlers: {
    enrich: PLACEHOLDER,
    notifier: PLACEHOLDER,
    channelSender: PLACEHOLDER,
    subscriptionDeliverer: PLACEHOLDER,
  },
  bundling: { projectRoot: PROJECT_ROOT },
  maxReceiveCount: 7,
  visibilityTimeout: Duration.seconds(60),
  subscriptions: [
    { name: 'audit-sink', filterPolicy: { source: ['github'], severity: ['critical', 'error'] }, maxReceiveCount: 3 },
    { name: 'billing', filterPolicy: { service: [{ prefix: 'billing' }] }, filterPolicyScope: 'MessageBody' },
  ],
  logGroupNames: ['/legacy/billing/access', '/legacy/billing/cron'],
  metricFilters: [
    {
      logGroupName: '/legacy/billing/access',
      filterName: 'billing-5xx',
      filterPattern: '[ip, user, ..., status_code = 5*, bytes]',
      metricTransformations: [
        { metricName: 'Http5xx', metricNamespace: 'Cairn/Legacy', metricValue: '1', defaultValue: 0 },
      ],
    },
  ],
  alarms: [
    {
      alarmName: 'billing-5xx',
      namespace: 'Cairn/Legacy',
      metricName: 'Http5xx',
      statistic: 'Sum',
      period: 60,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      threshold: 10,
      comparisonOperator: 'GreaterThanOrEqualToThreshold',
      treatMissingData: 'notBreaching',
    },
  ],
};

describe('EventNotificationHub', () => {
  let stack: Stack;
  let hub: EventNotificationHub;
  let t: Template;
  const byPrefix = (type: string, prefix: string) => t.toJSON().Resources[logicalId(t, type, prefix)].Properties;

  beforeAll(() => {
    stack = testStack().stack;
    hub = new EventNotificationHub(stack, 'Hub', {
      ...props,
      appSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'AppSecret', 'cairn/app'),
    });
    t = synth(stack);
  });

  describe('webhook ingest', () => {
    it('sends POST /hooks/{source} straight to SQS through an AWS service integration, with no Lambda in between', () => {
      const queue = logicalId(t, 'AWS::SQS::Queue', 'HubEventsQueue');
      t.hasResourceProperties('AWS::ApiGateway::Method', {
        HttpMethod: 'POST',
        AuthorizationType: 'NONE',
        Integration: {
          Type: 'AWS',
          IntegrationHttpMethod: 'POST',
          PassthroughBehavior: 'NEVER',
          Credentials: { 'Fn::GetAtt': [logicalId(t, 'AWS::IAM::Role', 'HubHooksSendMessageRole'), 'Arn'] },
          Uri: {
            'Fn::Join': [
              '',
              Match.arrayWith([Match.stringLikeRegexp(':sqs:path/'), { 'Fn::GetAtt': [queue, 'QueueName'] }]),
            ],
          },
          RequestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
          RequestTemplates: { 'application/json': Match.stringLikeRegexp('^#set.*Action=SendMessage&MessageBody=') },
        },
      });
      const methods = Object.values(t.findResources('AWS::ApiGateway::Method'));
      expect(methods.map((m) => m.Properties.Integration.Type)).not.toContain('AWS_PROXY');
      expect(JSON.stringify(t.findResources('AWS::Lambda::Permission'))).not.toContain('apigateway.amazonaws.com');
      const path = Object.values(t.findResources('AWS::ApiGateway::Resource')).map((r) => r.Properties.PathPart);
      expect(path).toEqual(['hooks', '{source}']);
    });

    it("validates the request (JSON body, source and Content-Type) and answers 202, 400 or 503 in Cairn's error shape", () => {
      t.hasResourceProperties('AWS::ApiGateway::RequestValidator', {
        ValidateRequestBody: true,
        ValidateRequestParameters: true,
      });
      t.hasResourceProperties('AWS::ApiGateway::Method', {
        RequestParameters: { 'method.request.path.source': true, 'method.request.header.Content-Type': true },
        RequestModels: { 'application/json': Match.anyValue() },
        MethodResponses: [{ StatusCode: '202' }, { StatusCode: '400' }, { StatusCode: '503' }],
      });
      t.hasResourceProperties('AWS::ApiGateway::Model', {
        ContentType: 'application/json',
        Schema: Match.objectLike({ type: 'object' }),
      });
      t.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: 'UNSUPPORTED_MEDIA_TYPE',
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('CAIRN_NOT_JSON') },
      });
    });

    it('throttles the stage, logs errors and access but never bodies', () => {
      t.hasResourceProperties('AWS::ApiGateway::Stage', {
        TracingEnabled: true,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.anyValue() },
        MethodSettings: [
          Match.objectLike({
            DataTraceEnabled: false,
            LoggingLevel: 'ERROR',
            ThrottlingRateLimit: 20,
            ThrottlingBurstLimit: 40,
            HttpMethod: '*',
            ResourcePath: '/*',
          }),
        ],
      });
    });
  });

  describe('queues', () => {
    it("dead-letters an event after cairn.yaml's maxReceiveCount, and alarms on the first one in the DLQ", () => {
      const dlq = logicalId(t, 'AWS::SQS::Queue', 'HubEventsDlq');
      t.hasResourceProperties('AWS::SQS::Queue', {
        VisibilityTimeout: 60,
        SqsManagedSseEnabled: true,
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [dlq, 'Arn'] }, maxReceiveCount: 7 },
      });
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Namespace: 'AWS/SQS',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlq, 'QueueName'] } }],
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      // events, notify, channels, one per subscription and the runtime subscriptions' queue
      expect(hub.dlqAlarms.length).toBe(6);
    });

    it('lets one poison message fail alone: the enrich worker reports batch item failures', () => {
      const queue = logicalId(t, 'AWS::SQS::Queue', 'HubEventsQueue');
      const enrich = logicalId(t, 'AWS::Lambda::Function', 'HubEnrichHandlerFunction');
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        FunctionName: { Ref: enrich },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        BatchSize: 10,
      });
      for (const m of Object.values(t.findResources('AWS::Lambda::EventSourceMapping'))) {
        expect(m.Properties.FunctionResponseTypes).toEqual(['ReportBatchItemFailures']);
      }
    });

    it('requires TLS on every queue', () => {
      for (const p of Object.values(t.findResources('AWS::SQS::QueuePolicy'))) {
        expect(p.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        );
      }
    });
  });

  describe('history', () => {
    it('keeps events with a TTL and point-in-time recovery, shaped as the adapters define the table', () => {
      const expected = createTableInput('x', EVENTS_TABLE);
      t.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: expected.KeySchema,
        GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
      const state = createTableInput('x', HUB_TABLE);
      t.hasResourceProperties('AWS::DynamoDB::Table', {
        GlobalSecondaryIndexes: state.GlobalSecondaryIndexes,
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });
  });

  describe('the topic', () => {
    it('is encrypted and refuses publishers without TLS', () => {
      t.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: Match.anyValue() });
      t.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          ]),
        },
      });
    });

    it("delivers to the notifier's queue raw, and to each subscription's queue with its filter policy", () => {
      const topic = { Ref: logicalId(t, 'AWS::SNS::Topic', 'HubTopic') };
      t.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: topic,
        Protocol: 'sqs',
        RawMessageDelivery: true,
        Endpoint: { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', 'HubNotifyQueue'), 'Arn'] },
        FilterPolicy: Match.absent(),
      });
      t.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: topic,
        RawMessageDelivery: true,
        FilterPolicy: { source: ['github'], severity: ['critical', 'error'] },
        FilterPolicyScope: 'MessageAttributes',
      });
      t.hasResourceProperties('AWS::SNS::Subscription', {
        FilterPolicy: { service: [{ prefix: 'billing' }] },
        FilterPolicyScope: 'MessageBody',
      });
      t.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: Match.objectLike({ maxReceiveCount: 3 }) });
    });

    it('sends notifications from the channels queue with their own function, and ticks the notifier every minute', () => {
      const sender = logicalId(t, 'AWS::Lambda::Function', 'HubChannelSenderHandlerFunction');
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', 'HubChannelsQueue'), 'Arn'] },
        FunctionName: { Ref: sender },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      t.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(1 minute)',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [logicalId(t, 'AWS::Lambda::Function', 'HubNotifierHandlerFunction'), 'Arn'] },
          }),
        ],
      });
    });

    it('runs one deliverer per subscription, which the handler tells apart by SUBSCRIPTION_NAME', () => {
      const deliverers = Object.values(t.findResources('AWS::Lambda::Function')).filter(
        (f) => f.Properties.Environment.Variables.SUBSCRIPTION_NAME,
      );
      expect(deliverers.map((f) => f.Properties.Environment.Variables.SUBSCRIPTION_NAME).sort()).toEqual([
        'audit-sink',
        'billing',
      ]);
    });

    it('delivers the subscriptions made through the API from one unfiltered queue, by their own filter policies', () => {
      const queue = logicalId(t, 'AWS::SQS::Queue', 'HubRuntimeSubscriptionsQueue');
      t.hasResourceProperties('AWS::SNS::Subscription', {
        TopicArn: { Ref: logicalId(t, 'AWS::SNS::Topic', 'HubTopic') },
        Protocol: 'sqs',
        RawMessageDelivery: true,
        Endpoint: { 'Fn::GetAtt': [queue, 'Arn'] },
        FilterPolicy: Match.absent(),
      });
      t.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: {
          deadLetterTargetArn: { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', 'HubRuntimeSubscriptionsDlq'), 'Arn'] },
          maxReceiveCount: 15,
        },
      });
      const fn = logicalId(t, 'AWS::Lambda::Function', 'HubDeliverRuntimeFunction');
      const vars = t.toJSON().Resources[fn].Properties.Environment.Variables;
      expect(vars.SUBSCRIPTION_ORIGIN).toBe('runtime');
      expect(vars.SUBSCRIPTION_NAME).toBeUndefined();
      t.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: { 'Fn::GetAtt': [queue, 'Arn'] },
        FunctionName: { Ref: fn },
        FunctionResponseTypes: ['ReportBatchItemFailures'],
      });
      expect(hub.runtimeSubscriptionFunction?.role).toBeDefined();
    });

    it('gives every hub function the queues, tables, topic and app secret its composition reads', () => {
      for (const f of Object.values(t.findResources('AWS::Lambda::Function'))) {
        expect(f.Properties).toMatchObject({ Runtime: 'nodejs24.x', Architectures: ['arm64'] });
        expect(Object.keys(f.Properties.Environment.Variables)).toEqual(
          expect.arrayContaining([
            'EVENTS_TABLE',
            'HUB_TABLE',
            'TOPIC_ARN',
            'EVENTS_QUEUE_URL',
            'EVENTS_DLQ_URL',
            'CHANNELS_QUEUE_URL',
            'CHANNELS_DLQ_URL',
            'APP_SECRET_ID',
          ]),
        );
        expect(f.Properties.Environment.Variables.APP_SECRET_ID).toBe('cairn/app');
      }
    });
  });

  describe('log metric filters and alarms from cairn.yaml', () => {
    it('makes the log groups and each metric filter as CloudFormation spells it', () => {
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/legacy/billing/access' });
      t.hasResourceProperties('AWS::Logs::LogGroup', { LogGroupName: '/legacy/billing/cron' });
      t.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: '/legacy/billing/access',
        FilterName: 'billing-5xx',
        FilterPattern: '[ip, user, ..., status_code = 5*, bytes]',
        MetricTransformations: [
          { MetricName: 'Http5xx', MetricNamespace: 'Cairn/Legacy', MetricValue: '1', DefaultValue: 0 },
        ],
      });
    });

    it('makes each alarm with its M-out-of-N and missing-data settings', () => {
      t.hasResourceProperties('AWS::CloudWatch::Alarm', {
        AlarmName: 'billing-5xx',
        Namespace: 'Cairn/Legacy',
        MetricName: 'Http5xx',
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 5,
        DatapointsToAlarm: 3,
        Threshold: 10,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
    });

    it('turns the state changes of its alarms into events on the queue through EventBridge', () => {
      const alarm = logicalId(t, 'AWS::CloudWatch::Alarm', 'HubLogAlarmsAlarm0');
      const rule = byPrefix('AWS::Events::Rule', 'HubAlarmStateChanges');
      expect(rule.EventPattern.source).toEqual(['aws.cloudwatch']);
      expect(rule.EventPattern['detail-type']).toEqual(['CloudWatch Alarm State Change']);
      expect(rule.EventPattern.resources).toContainEqual({ 'Fn::GetAtt': [alarm, 'Arn'] });
      expect(rule.EventPattern.resources.length).toBe(1 + hub.dlqAlarms.length);
      expect(rule.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': [logicalId(t, 'AWS::SQS::Queue', 'HubEventsQueue'), 'Arn'] } }),
      ]);
    });
  });

  describe('security', () => {
    it('has no cdk-nag AwsSolutions finding left unacknowledged, each acknowledgement with a reason', () => {
      expect(nagFindings(stack)).toEqual([]);
      for (const a of acknowledgements(stack)) expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(30);
    });

    it('grants no wildcard action, and "*" resources only to actions that have no resource', () => {
      for (const s of allowStatements(t)) {
        for (const a of actionsOf(s)) expect(isServiceWildcard(a), a).toBe(false);
        if (resourcesOf(s).includes('*'))
          for (const a of actionsOf(s)) expect(RESOURCELESS_ACTIONS.has(a), a).toBe(true);
      }
    });

    it('lets API Gateway only send messages to the events queue', () => {
      const role = logicalId(t, 'AWS::IAM::Role', 'HubHooksSendMessageRole');
      const policies = Object.values(t.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p.Properties.Roles).includes(role),
      );
      const actions = policies.flatMap((p) =>
        p.Properties.PolicyDocument.Statement.flatMap((s: any) => [s.Action].flat()),
      );
      expect(actions.sort()).toEqual(['sqs:GetQueueAttributes', 'sqs:GetQueueUrl', 'sqs:SendMessage']);
    });

    it('lets no function send e-mail when no SES identity is given', () => {
      const ses = allowStatements(t).filter((s) => actionsOf(s).some((a) => a.startsWith('ses:')));
      expect(ses).toEqual([]);
      for (const f of Object.values(t.findResources('AWS::Lambda::Function')))
        expect(f.Properties.Environment.Variables.SES_IDENTITY_ARN).toBeUndefined();
    });

    it('reads the app secret by name only', () => {
      const reads = allowStatements(t).filter((s) => actionsOf(s).includes('secretsmanager:GetSecretValue'));
      expect(reads.length).toBe(6);
      for (const s of reads) expect(JSON.stringify(s.Resource)).toContain(':secret:cairn/app-??????');
    });
  });

  describe('e-mail through SES', () => {
    const withIdentity = (sesIdentity: string) => {
      const { stack: s } = testStack();
      const built = new EventNotificationHub(s, 'Hub', { ...props, sesIdentity, emailChannels: ['ops-mail'] });
      return { s, built, template: synth(s) };
    };
    const sesStatements = (template: Template) =>
      allowStatements(template).filter((st) => actionsOf(st).some((a) => a.startsWith('ses:')));

    it('lets only the channel sender send, and only as the configured identity', () => {
      const { s, built, template } = withIdentity('example.com');
      const arn = {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ses:eu-west-1:123456789012:identity/example.com']],
      };
      expect(sesStatements(template)).toEqual([
        { Effect: 'Allow', Action: ['ses:SendEmail', 'ses:SendRawEmail'], Resource: arn },
      ]);
      const sender = logicalId(template, 'AWS::Lambda::Function', 'HubChannelSenderHandlerFunction');
      const senderRole = template.toJSON().Resources[sender].Properties.Role['Fn::GetAtt'][0];
      const holders = Object.values(template.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p.Properties.PolicyDocument).includes('ses:SendEmail'),
      );
      expect(holders.map((p) => p.Properties.Roles)).toEqual([[{ Ref: senderRole }]]);
      const withArn = Object.values(template.findResources('AWS::Lambda::Function')).filter(
        (f) => f.Properties.Environment.Variables.SES_IDENTITY_ARN,
      );
      expect(withArn.map((f) => f.Properties.Environment.Variables.SES_IDENTITY_ARN)).toEqual([arn]);
      expect(built.channelSenderFunction.role).toBeDefined();
      expect(nagFindings(s)).toEqual([]);
    });

    it('takes an identity ARN as it is, e.g. one in another region', () => {
      const arn = 'arn:aws:ses:us-east-1:123456789012:identity/alerts@example.com';
      const { template } = withIdentity(arn);
      expect(sesStatements(template).map((st) => st.Resource)).toEqual([arn]);
    });

    it('refuses e-mail channels without an identity, and an identity that is not one', () => {
      const { stack: s } = testStack();
      expect(() => new EventNotificationHub(s, 'NoIdentity', { ...props, emailChannels: ['ops-mail'] })).toThrow(
        /alerts\.channels ops-mail send e-mail[\s\S]*set sesIdentity/,
      );
      expect(() => new EventNotificationHub(s, 'BadIdentity', { ...props, sesIdentity: 'not an identity' })).toThrow(
        /sesIdentity must be a domain, an e-mail address or an SES identity ARN/,
      );
    });
  });

  it('leaves runtime subscriptions out when asked', () => {
    const { stack: s } = testStack();
    const built = new EventNotificationHub(s, 'Hub', { ...props, runtimeSubscriptions: false });
    expect(built.runtimeSubscriptionQueue).toBeUndefined();
    expect(Object.keys(synth(s).findResources('AWS::SNS::Subscription')).length).toBe(3);
  });

  describe('validation', () => {
    it('refuses what CloudWatch or SQS would refuse, listing every problem at once', () => {
      const { stack: s } = testStack();
      let error: unknown;
      try {
        new EventNotificationHub(s, 'Bad', {
          ...props,
          visibilityTimeout: Duration.seconds(10),
          subscriptions: [{ name: 'Bad Name' }, { name: 'dup' }, { name: 'dup' }],
          alarms: [
            { ...props.alarms![0]!, period: 45, evaluationPeriods: 3000 },
            { ...props.alarms![0]!, statistic: undefined },
          ],
          metricFilters: [{ ...props.metricFilters![0]!, metricTransformations: [] }],
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidPropsError);
      const text = (error as Error).message;
      expect(text).toContain('visibilityTimeout must be at least enrichTimeout');
      expect(text).toContain('subscription names must be lower-case');
      expect(text).toContain('subscription names must be unique');
      expect(text).toContain('Period 45 must be 10, 20, 30 or a multiple of 60');
      expect(text).toContain('Period × EvaluationPeriods must not exceed 1 day');
      expect(text).toContain('give exactly one of Statistic or ExtendedStatistic');
      expect(text).toContain('alarm name billing-5xx is used twice');
      expect(text).toContain('exactly one MetricTransformation');
    });
  });
});
