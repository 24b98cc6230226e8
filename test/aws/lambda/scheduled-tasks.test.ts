/** The share sweeper (EventBridge schedule) and the backup tasks (Step Functions), with real event shapes. */
import { S3Client } from '@aws-sdk/client-s3';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ScheduledEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, lambdaEnvironment } from './setup.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
mockClient(S3Client);

beforeAll(() => lambdaEnvironment('{}\n', { APP_SECRET_ID: '' }));

const schedule: ScheduledEvent = {
  version: '0',
  id: 'e',
  'detail-type': 'Scheduled Event',
  source: 'aws.events',
  account: '123456789012',
  time: '2026-01-01T00:00:00Z',
  region: 'eu-west-1',
  resources: [],
  detail: {},
};

describe('share-sweeper handler', () => {
  it('expires a due share and tells the hub on the events queue, deduplicated by the domain event', async () => {
    const share = {
      id: 's1',
      owner: 'alice',
      kind: 'link',
      fileIds: [],
      recipients: [],
      createdAt: 0,
      expiresAt: 1000,
      downloadCount: 0,
      status: 'active',
    };
    dynamo
      .on(QueryCommand)
      .callsFake((input) =>
        input.ExpressionAttributeValues[':p'] === 'SHARE#ACTIVE' ? { Items: [share] } : { Items: [] },
      );
    dynamo
      .on(UpdateCommand)
      .callsFake((input) =>
        input.UpdateExpression.includes(':status') ? { Attributes: { ...share, status: 'expired' } } : {},
      );
    dynamo.on(PutCommand).resolves({});
    dynamo.on(GetCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
    const { handler } = await import('../../../src/runtime/lambda/share-sweeper.ts');
    expect(await handler(schedule, context)).toEqual({ expiredShares: 1, abandonedUploads: 0, removedFiles: 0 });
    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(JSON.parse(sent.MessageBody!)).toMatchObject({
      source: 'cairn',
      eventId: expect.stringMatching(/^cairn_evt_/),
    });
    expect(JSON.parse(JSON.parse(sent.MessageBody!).rawBody)).toMatchObject({
      type: 'share.expired',
      data: { shareId: 's1' },
    });
    expect(sent.MessageAttributes!['cairn-dedup']!.StringValue).toMatch(/^cairn:evt_/);
  });
});

describe('backup task handlers', () => {
  it('pass Step Functions input to the backup tasks and return their output', async () => {
    const { backupPlannerHandler } = await import('../../../src/runtime/lambda/backup-planner.ts');
    const { backupChunkHandler } = await import('../../../src/runtime/lambda/backup-chunk.ts');
    const tasks = {
      plan: async () => ({ job: 'crm', runId: 'r1', chunks: [{ index: 0, label: 'id 1..5' }] }),
      runChunk: async () => ({ job: 'crm', runId: 'r1', index: 0, rows: 5, bytes: 99, skipped: false }),
      finalize: async () => {
        throw new Error('not called');
      },
      fail: async () => {
        throw new Error('not called');
      },
    };
    expect(await backupPlannerHandler(tasks)({ job: 'crm' }, context)).toMatchObject({
      runId: 'r1',
      chunks: [{ index: 0 }],
    });
    expect(await backupChunkHandler(tasks)({ job: 'crm', runId: 'r1', chunk: { index: 0 } }, context)).toMatchObject({
      rows: 5,
    });
    await expect(backupChunkHandler(tasks)({ job: 'crm' } as never, context)).rejects.toThrow(/runId/);
  });

  it('name the missing table setting when the function was deployed without one', async () => {
    const { handler } = await import('../../../src/runtime/lambda/backup-planner.ts');
    await expect(handler({ job: 'crm' }, context)).rejects.toMatchObject({
      name: 'CAIRN_CONFIG_INVALID',
      message: expect.stringContaining('BACKUPS_TABLE'),
    });
  });
});
