/**
 * The subscription deliverer with a real SNS event shape, DynamoDB mocked, and the subscriber a real
 * HTTP server on loopback: the delivery is a Standard Webhooks signed POST.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBDocumentClient, GetCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, historyItem, lambdaEnvironment, snsEvent, WEBHOOK_SECRET } from './setup.ts';

const dynamo = mockClient(DynamoDBDocumentClient);
let handler: typeof import('../../../src/runtime/lambda/subscription-deliverer.ts').handler;
let server: Server;
const received: { headers: Record<string, unknown>; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  lambdaEnvironment(
    `alerts:
  subscriptions:
    - name: critical-only
      endpoint: "http://127.0.0.1:${port}/hook"
      secret: "${WEBHOOK_SECRET}"
      filterPolicy: { severity: [critical] }
    - name: infos
      endpoint: "http://127.0.0.1:${port}/other"
      filterPolicy: { severity: [info] }
`,
    { APP_SECRET_ID: '' },
  );
  ({ handler } = await import('../../../src/runtime/lambda/subscription-deliverer.ts'));
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('subscription-deliverer handler', () => {
  it('delivers an event to the subscriptions whose filter policy accepts it, signed', async () => {
    dynamo.on(GetCommand).resolves({ Item: historyItem('evt_9') });
    dynamo.on(QueryCommand).resolves({ Items: [] });
    dynamo.on(UpdateCommand).callsFake((input) =>
      input.UpdateExpression.startsWith('SET id')
        ? {
            Attributes: {
              id: input.ExpressionAttributeValues[':id'],
              eventId: 'evt_9',
              target: input.Key.sk,
              status: 'pending',
              attempts: 0,
            },
          }
        : {},
    );
    await handler(snsEvent(JSON.stringify({ eventId: 'evt_9' })), context);
    expect(received).toHaveLength(1);
    expect(received[0]!.headers['webhook-id']).toBe('evt_9');
    expect(String(received[0]!.headers['webhook-signature'])).toMatch(/^v1,/);
    expect(JSON.parse(received[0]!.body)).toMatchObject({ type: 'event.firing', data: { eventId: 'evt_9' } });
    const attempt = dynamo
      .commandCalls(UpdateCommand)
      .find((c) => c.args[0].input.UpdateExpression!.includes('attempts = attempts'));
    expect(attempt!.args[0].input.ExpressionAttributeValues).toMatchObject({ ':status': 'succeeded' });
  });
});
