/** The HTTP handler: the one Hono app through hono/aws-lambda, with an API Gateway HTTP API (v2) event. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it } from 'vitest';
import { context, lambdaEnvironment } from './setup.ts';

const secrets = mockClient(SecretsManagerClient);
let handler: typeof import('../../../src/runtime/lambda/http.ts').handler;

beforeAll(async () => {
  lambdaEnvironment('{}\n');
  secrets
    .on(GetSecretValueCommand)
    .resolves({ SecretString: JSON.stringify({ CAIRN_UNLOCK_KEY: Buffer.alloc(32, 7).toString('base64') }) });
  ({ handler } = await import('../../../src/runtime/lambda/http.ts'));
});

const request = (method: string, path: string, body?: unknown): APIGatewayProxyEventV2 => ({
  version: '2.0',
  routeKey: '$default',
  rawPath: path,
  rawQueryString: '',
  headers: { host: 'api.cairn.example.com', 'content-type': 'application/json' },
  requestContext: {
    accountId: '123456789012',
    apiId: 'api',
    domainName: 'api.cairn.example.com',
    domainPrefix: 'api',
    http: { method, path, protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'test' },
    requestId: 'r',
    routeKey: '$default',
    stage: '$default',
    time: '01/Jan/2026:00:00:00 +0000',
    timeEpoch: 1767225600000,
  },
  ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  isBase64Encoded: false,
});

const call = async (event: APIGatewayProxyEventV2) =>
  (await handler(event as never, context as never)) as APIGatewayProxyResult;

describe('http handler', () => {
  it('serves the same app: health, security headers and JSON errors', async () => {
    const health = await call(request('GET', '/healthz'));
    expect(health.statusCode).toBe(200);
    expect(JSON.parse(health.body)).toEqual({ status: 'ok' });
    expect(health.headers?.['x-content-type-options']).toBe('nosniff');
    const me = await call(request('GET', '/api/auth/me'));
    expect(me.statusCode).toBe(401);
    expect(JSON.parse(me.body).error.code).toBe('CAIRN_SIGN_IN_REQUIRED');
  });

  it('sends password sign-in to Cognito, and refuses a token Cognito did not sign', async () => {
    const login = await call(request('POST', '/api/auth/login', { username: 'a', password: 'b' }));
    expect(login.statusCode).toBe(400);
    expect(JSON.parse(login.body).error.code).toBe('CAIRN_USERS_MANAGED_BY_COGNITO');
    const forged = request('GET', '/api/shares');
    forged.headers.authorization = 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.x';
    const res = await call(forged);
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('CAIRN_TOKEN_INVALID');
  });

  it('mounts the hub routes when the hub tables are configured', async () => {
    const res = await call(request('GET', '/api/events'));
    expect(res.statusCode).toBe(401);
    expect(JSON.parse(res.body).error.code).toBe('CAIRN_SIGN_IN_REQUIRED');
  });
});
