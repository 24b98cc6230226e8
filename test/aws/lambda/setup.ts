/**
 * Shared set-up for the Lambda handler tests: the environment the CDK app sets, a cairn.yaml beside it,
 * a Lambda context, and real event shapes (aws-lambda types). AWS clients are mocked per test file with
 * aws-sdk-client-mock; handler modules are imported after the environment is in place.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, SNSEvent, SQSEvent, SQSRecord } from 'aws-lambda';

export const QUEUE_ARN = 'arn:aws:sqs:eu-west-1:123456789012:cairn-events';
export const TOPIC_ARN = 'arn:aws:sns:eu-west-1:123456789012:cairn-hub';
export const WEBHOOK_SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

export function lambdaEnvironment(yaml: string, extra: Record<string, string> = {}): void {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-lambda-'));
  writeFileSync(join(dir, 'cairn.yaml'), yaml);
  Object.assign(process.env, {
    AWS_REGION: 'eu-west-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    LAMBDA_TASK_ROOT: dir,
    CAIRN_CONFIG: 'cairn.yaml',
    PUBLIC_URL: 'https://cairn.example.com',
    BUCKET: 'cairn-files',
    KMS_KEY_ID: 'arn:aws:kms:eu-west-1:123456789012:key/k',
    SHARING_TABLE: 'cairn-sharing',
    EVENTS_TABLE: 'cairn-events',
    HUB_TABLE: 'cairn-hub',
    EVENTS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cairn-events',
    CHANNELS_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/cairn-channels',
    TOPIC_ARN,
    USER_POOL_ID: 'eu-west-1_Pool',
    CLIENT_ID: 'client',
    APP_SECRET_ID: 'cairn/app',
    POWERTOOLS_METRICS_NAMESPACE: 'Cairn',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...extra,
  });
}

export const context = {
  functionName: 'cairn-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:cairn-test',
  memoryLimitInMB: '512',
  awsRequestId: 'req-1',
  logGroupName: '/aws/lambda/cairn-test',
  logStreamName: 's',
  callbackWaitsForEmptyEventLoop: true,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
} as unknown as Context;

export function sqsRecord(id: string, body: string, receiveCount = 1): SQSRecord {
  return {
    messageId: id,
    receiptHandle: `handle-${id}`,
    body,
    attributes: {
      ApproximateReceiveCount: String(receiveCount),
      SentTimestamp: String(Date.parse('2026-01-01T00:00:00Z')),
      SenderId: 'AIDA',
      ApproximateFirstReceiveTimestamp: String(Date.parse('2026-01-01T00:00:01Z')),
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: QUEUE_ARN,
    awsRegion: 'eu-west-1',
  };
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

export function snsEvent(message: string): SNSEvent {
  return {
    Records: [
      {
        EventVersion: '1.0',
        EventSubscriptionArn: `${TOPIC_ARN}:sub`,
        EventSource: 'aws:sns',
        Sns: {
          SignatureVersion: '1',
          Timestamp: '2026-01-01T00:00:02.000Z',
          Signature: 'x',
          SigningCertUrl: 'https://sns.example/cert.pem',
          MessageId: 'sns-1',
          Message: message,
          MessageAttributes: {},
          Type: 'Notification',
          UnsubscribeUrl: 'https://sns.example/unsub',
          TopicArn: TOPIC_ARN,
          Subject: '',
        },
      },
    ],
  };
}

/** A stored history item as the DynamoDB document client returns it. */
export function historyItem(eventId: string, over: Record<string, unknown> = {}) {
  return {
    pk: `EVT#${eventId}`,
    sk: 'EVT',
    gsi1sk: `000001767225600000#${eventId}`,
    eventId,
    source: 'grafana',
    receivedAt: '2026-01-01T00:00:00.000Z',
    enrichedAt: '2026-01-01T00:00:01.000Z',
    title: 'CPU high',
    summary: 'api-1 at 97%',
    severity: 'critical',
    status: 'firing',
    service: 'api',
    fingerprint: 'fp1',
    labels: '{"team":"core"}',
    enrichment: '{}',
    rawBody: '{"title":"CPU high"}',
    expiresAt: '2027-01-01T00:00:00.000Z',
    ...over,
  };
}
