/**
 * The channel-sender handler sending an e-mail channel's notification through SES: history and the
 * delivery ledger in dynalite (DynamoDB), SES and SQS mocked with aws-sdk-client-mock — there is no
 * SES or SQS emulator here. Without an SES identity the sender refuses to start.
 */
import { SendEmailCommand, SESv2Client } from '@aws-sdk/client-sesv2';
import { ChangeMessageVisibilityCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoDeliveryRepository } from '../../../src/adapters/aws/dynamodb/delivery-repository.ts';
import { DynamoEventHistory } from '../../../src/adapters/aws/dynamodb/event-history.ts';
import { EVENTS_TABLE, HUB_TABLE } from '../../../src/adapters/aws/dynamodb/tables.ts';
import type { ChannelMessage } from '../../../src/core/alerts/notify/index.ts';
import { startDynalite, type RunningDynalite } from '../helpers/dynalite.ts';
import { parseMail } from '../helpers/mime.ts';
import { context, lambdaEnvironment, sqsEvent, sqsRecord } from './setup.ts';

const ses = mockClient(SESv2Client);
const sqs = mockClient(SQSClient);
const IDENTITY = 'arn:aws:ses:eu-west-1:123456789012:identity/example.com';
let db: RunningDynalite;
let hubTable: string;
let handler: typeof import('../../../src/runtime/lambda/channel-sender.ts').handler;

const message: ChannelMessage = {
  id: 'grp_1#1',
  channel: 'ops-mail',
  groupKey: 'fp1',
  eventIds: ['evt_mail'],
  count: 1,
  status: 'firing',
  repeat: false,
};

beforeAll(async () => {
  db = await startDynalite();
  const eventsTable = await db.table(EVENTS_TABLE);
  hubTable = await db.table(HUB_TABLE);
  const endpoint = await db.client().config.endpoint!();
  lambdaEnvironment(
    `alerts:
  channels:
    ops-mail:
      type: email
      smtp: { host: smtp.unused.example }
      from: "Cairn <alerts@example.com>"
      to: [oncall@example.com]
  routes:
    - channels: [ops-mail]
`,
    {
      APP_SECRET_ID: '',
      EVENTS_TABLE: eventsTable,
      HUB_TABLE: hubTable,
      AWS_ENDPOINT_URL_DYNAMODB: `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
      SES_IDENTITY_ARN: IDENTITY,
    },
  );
  await new DynamoEventHistory({ doc: db.doc(), table: eventsTable, retentionSeconds: 86400 }).save(
    {
      eventId: 'evt_mail',
      source: 'grafana',
      receivedAt: '2026-01-01T00:00:00.000Z',
      enrichedAt: '2026-01-01T00:00:01.000Z',
      title: 'Disk full on db-1',
      summary: '/var at 99%',
      severity: 'critical',
      status: 'firing',
      service: 'billing',
      fingerprint: 'fp1',
      labels: { team: 'payments' },
      enrichment: {},
      payload: {},
    },
    '{}',
    new Date('2030-01-01T00:00:00Z'),
  );
  ({ handler } = await import('../../../src/runtime/lambda/channel-sender.ts'));
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
  await db.close();
});
beforeEach(() => {
  ses.reset();
  sqs.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
});

const statusOf = async () =>
  (await new DynamoDeliveryRepository(db.doc(), hubTable).listForEvent('evt_mail')).find(
    (r) => r.target === 'channel:ops-mail',
  )?.status;

describe('channel-sender handler, e-mail through SES', () => {
  it('retries a message SES refused: a batch item failure with a backoff, and the delivery not succeeded', async () => {
    ses.on(SendEmailCommand).rejects(
      Object.assign(new Error('Email address is not verified.'), {
        name: 'MessageRejected',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const out = await handler(sqsEvent(sqsRecord('m0', JSON.stringify(message))), context);
    expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm0' }]);
    expect(sqs.commandCalls(ChangeMessageVisibilityCommand)).toHaveLength(1);
    expect(await statusOf()).toBe('failed');
  });

  it('sends the rendered notification as the SES identity, records it, and never sends it twice', async () => {
    const out = await handler(sqsEvent(sqsRecord('m1', JSON.stringify(message), 2)), context);
    expect(out.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
    const input = ses.commandCalls(SendEmailCommand)[0]!.args[0].input;
    expect(input.Destination?.ToAddresses).toEqual(['oncall@example.com']);
    const mail = parseMail(Buffer.from(input.Content!.Raw!.Data!).toString('utf8'));
    expect(mail.headers.subject).toMatch(/^\[Cairn\] .*Disk full on db-1/);
    expect(mail.headers.from).toBe('Cairn <alerts@example.com>');
    expect(mail.text).toContain('/var at 99%');
    expect(mail.text).toContain('https://cairn.example.com/alerts/events/evt_mail');
    expect(mail.html).toContain('Disk full on db-1');
    expect(await statusOf()).toBe('succeeded');

    const again = await handler(sqsEvent(sqsRecord('m1', JSON.stringify(message), 3)), context);
    expect(again.batchItemFailures).toEqual([]);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(1);
  });

  it('refuses to build the sender when e-mail channels have no SES identity, and sends nothing', async () => {
    delete process.env.SES_IDENTITY_ARN;
    vi.resetModules();
    try {
      const fresh = await import('../../../src/runtime/lambda/channel-sender.ts');
      await expect(fresh.sender()).rejects.toThrow(
        /alerts\.channels\.ops-mail: e-mail on AWS is sent with SES, and no SES identity/,
      );
      const out = await fresh.handler(
        sqsEvent(sqsRecord('m2', JSON.stringify({ ...message, id: 'grp_2#1' }))),
        context,
      );
      expect(out.batchItemFailures).toEqual([{ itemIdentifier: 'm2' }]);
      expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    } finally {
      process.env.SES_IDENTITY_ARN = IDENTITY;
    }
  });
});
