/** The notifier handler with real SNS, SQS and scheduled event shapes; DynamoDB and SQS mocked. */
import { SQSClient, ChangeMessageVisibilityCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { context, historyItem, lambdaEnvironment, snsEvent, sqsEvent, sqsRecord, TOPIC_ARN } from './setup.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: typeof import('../../../src/runtime/lambda/notifier.ts').handler;

beforeAll(async () => {
  lambdaEnvironment(
    `alerts:
  channels:
    ops: { type: slack, url: "https://hooks.slack.example/x" }
  routes:
    - match: { severity: [critical] }
      channels: [ops]
`,
    { APP_SECRET_ID: '' },
  );
  ({ handler } = await import('../../../src/runtime/lambda/notifier.ts'));
});

/** A small stateful stand-in for the hub table: what is put can be got again (groups). */
const items = new Map<string, Record<string, unknown>>();

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  items.clear();
  dynamo.on(QueryCommand).resolves({ Items: [] });
  dynamo.on(PutCommand).callsFake((input) => {
    items.set(`${input.Item.pk}|${input.Item.sk}`, input.Item);
    return {};
  });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'x' });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

const scheduled: ScheduledEvent = {
  version: '0',
  id: 'e',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-01-01T00:01:00Z',
  region: 'eu-west-1',
  resources: ['arn:aws:events:eu-west-1:123456789012:rule/cairn-notifier-tick'],
  detail: {},
};

describe('notifier handler', () => {
  it('routes an event from an SNS notification and queues its notification for the channel at once', async () => {
    dynamo
      .on(GetCommand)
      .callsFake((input) =>
        input.Key.pk === 'EVT#evt_1'
          ? { Item: historyItem('evt_1') }
          : { Item: items.get(`${input.Key.pk}|${input.Key.sk}`) },
      );
    await handler(snsEvent(JSON.stringify({ eventId: 'evt_1', title: 'CPU high' })), context);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/123456789012/cairn-channels');
    expect(JSON.parse(sent[0]!.MessageBody!)).toMatchObject({ channel: 'ops', eventIds: ['evt_1'], status: 'firing' });
  });

  it('retries an event not yet in history later, from an SQS queue subscribed to the topic', async () => {
    dynamo.on(GetCommand).resolves({});
    const envelope = JSON.stringify({
      Type: 'Notification',
      TopicArn: TOPIC_ARN,
      Message: JSON.stringify({ eventId: 'evt_late' }),
    });
    const result = await handler(sqsEvent(sqsRecord('n1', envelope)), context);
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'n1' }] });
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(1);
  });

  it('flushes due groups on its schedule', async () => {
    dynamo.on(GetCommand).resolves({});
    await expect(handler(scheduled, context)).resolves.toBeUndefined();
    expect(dynamo.commandCalls(QueryCommand)[0]!.args[0].input).toMatchObject({ IndexName: 'gsi1' });
  });
});

describe('channel-sender handler', () => {
  it('acks a notification whose channel is gone, and one whose events were all delivered, without sending', async () => {
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    dynamo.on(UpdateCommand).callsFake((input) => ({
      Attributes: {
        id: input.ExpressionAttributeValues[':id'],
        eventId: input.ExpressionAttributeValues[':e'],
        target: 'channel:ops',
        status: 'succeeded',
        attempts: 1,
      },
    }));
    const { handler: send } = await import('../../../src/runtime/lambda/channel-sender.ts');
    const message = (channel: string) =>
      JSON.stringify({
        id: 'grp_1#1',
        channel,
        groupKey: 'fingerprint=fp1',
        eventIds: ['evt_1'],
        count: 1,
        status: 'firing',
        repeat: false,
      });
    const result = await send(sqsEvent(sqsRecord('c1', message('gone')), sqsRecord('c2', message('ops'))), context);
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(GetCommand)).toHaveLength(0);
  });
});
