/** The enrich worker handler with a real SQS event shape; DynamoDB, SNS, SQS and Secrets Manager mocked. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { signStandardWebhook, standardWebhooksKey } from '../../../src/core/alerts/ingest/index.ts';
import { context, lambdaEnvironment, sqsEvent, sqsRecord, WEBHOOK_SECRET } from './setup.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const sqs = mockClient(SQSClient);
const secrets = mockClient(SecretsManagerClient);
let handler: typeof import('../../../src/runtime/lambda/enrich-worker.ts').handler;

beforeAll(async () => {
  lambdaEnvironment(`alerts:
  sources:
    grafana:
      verify: { scheme: standard-webhooks, secretEnv: GRAFANA_SECRET }
      fields: { title: $.title, severity: $.level }
`);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ GRAFANA_SECRET: WEBHOOK_SECRET }) });
  ({ handler } = await import('../../../src/runtime/lambda/enrich-worker.ts'));
});

const ingested = (eventId: string) =>
  JSON.stringify({
    eventId,
    source: 'grafana',
    receivedAt: '2026-01-01T00:00:00.000Z',
    deliveryId: eventId,
    rawBody: JSON.stringify({ title: `alert ${eventId}`, level: 'critical' }),
    headers: { 'content-type': 'application/json' },
  });

describe('enrich-worker handler', () => {
  it('enriches, stores and publishes each record, and reports only the poison and the failing ones', async () => {
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).callsFake((input) => {
      if (input.Item.eventId === 'evt_flaky')
        throw Object.assign(new Error('slow down'), { name: 'ProvisionedThroughputExceededException', $metadata: {} });
      return {};
    });
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});
    const result = await handler(
      sqsEvent(
        sqsRecord('r1', ingested('evt_ok')),
        sqsRecord('r2', '{not json'),
        sqsRecord('r3', ingested('evt_flaky'), 2),
      ),
      context,
    );
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'r2' }, { itemIdentifier: 'r3' }] });
    const published = sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!).eventId);
    expect(published).toEqual(['evt_ok']);
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes!.severity!.StringValue).toBe(
      'critical',
    );
    const delayed = sqs.commandCalls(ChangeMessageVisibilityCommand).map((c) => c.args[0].input);
    expect(delayed).toEqual([
      expect.objectContaining({
        ReceiptHandle: 'handle-r3',
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cairn-events',
      }),
    ]);
    expect(delayed[0]!.VisibilityTimeout).toBeGreaterThanOrEqual(1);
  });

  it('verifies a webhook envelope from the API Gateway integration, and drops one with a bad signature', async () => {
    dynamo.reset();
    sns.reset();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const body = JSON.stringify({ title: 'Disk full', level: 'critical' });
    const now = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': 'msg_1',
      'webhook-timestamp': String(now),
      'webhook-signature': signStandardWebhook(standardWebhooksKey(WEBHOOK_SECRET, 'test'), 'msg_1', now, body),
    };
    const envelope = (h: Record<string, string>) =>
      JSON.stringify({
        v: 1,
        source: 'grafana',
        receivedAt: now * 1000,
        headers: h,
        body: Buffer.from(body).toString('base64'),
      });
    const result = await handler(
      sqsEvent(
        sqsRecord('good', envelope(headers)),
        sqsRecord('forged', envelope({ ...headers, 'webhook-signature': 'v1,AAAA' })),
      ),
      context,
    );
    expect(result).toEqual({ batchItemFailures: [] });
    const published = sns.commandCalls(PublishCommand).map((c) => JSON.parse(c.args[0].input.Message!));
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({ source: 'grafana', title: 'Disk full', severity: 'critical' });
  });
});
