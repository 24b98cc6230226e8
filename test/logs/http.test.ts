import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mapError } from '../../src/http/error-mapper.ts';
import type { Env } from '../../src/http/context.ts';
import { logIngestTokenAuth, logRoutes } from '../../src/http/routes/logs.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { type AgentFixture, agentFixture, lineCounter } from './fixture.ts';

const TOKEN = 'machine-token-0123456789abcdef';

describe('the log agent API', () => {
  let f: AgentFixture;
  let app: Hono<Env>;
  beforeEach(async () => {
    f = await agentFixture(() => ({
      groups: { '/legacy/app': {}, web: {} },
      ingest: { maxBodyBytes: 4096, maxEvents: 5 },
      metricFilters: [
        lineCounter('/legacy/app', 'Errors', '"ERROR"'),
        {
          name: 'latency',
          logGroup: '/legacy/app',
          FilterPattern: '{ $.latency > 0 }',
          MetricTransformations: [
            {
              MetricName: 'Latency',
              MetricNamespace: 'Test',
              MetricValue: '$.latency',
              Dimensions: { Route: '$.route' },
              Unit: 'Milliseconds',
            },
          ],
        },
      ],
      alarms: [
        {
          AlarmName: 'errors',
          Namespace: 'Test',
          MetricName: 'Errors',
          Statistic: 'Sum',
          Period: 60,
          EvaluationPeriods: 2,
          DatapointsToAlarm: 1,
          Threshold: 0,
          ComparisonOperator: 'GreaterThanThreshold',
        },
      ],
    }));
    const deps = { agent: f.agent, ingestTokens: [TOKEN], now: () => f.clock.now().getTime() };
    app = new Hono<Env>();
    app.onError((err, c) => mapError(err, c, silentLogger));
    app.use('/api/logs/*', logIngestTokenAuth(deps));
    app.use('/api/*', async (c, next) => {
      // Stands in for readSession: `Authorization: Bearer user` is a signed-in user.
      c.set(
        'principal',
        c.req.header('authorization') === 'Bearer user' ? ({ username: 'u', admin: false } as never) : null,
      );
      await next();
    });
    app.route('/api', logRoutes(deps));
  });
  afterEach(() => f.cleanup());

  const call = async (path: string, init: RequestInit & { json?: unknown; as?: string } = {}): Promise<Response> => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${init.as ?? 'user'}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return app.request(path, { ...init, headers, body });
  };

  it('takes JSON events for a log group named with slashes, and stores them before answering', async () => {
    const r = await call('/api/logs/legacy/app', {
      method: 'POST',
      json: {
        events: [
          { message: 'ERROR one' },
          { message: '{"latency":120,"route":"/a"}', timestamp: f.clock.now().toISOString() },
        ],
      },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ accepted: 2, truncated: 0 });
    expect(f.sum('Errors')).toBe(1);
    expect(f.sum('Latency', { Route: '/a' })).toBe(120);
  });

  it('takes newline-delimited text/plain with a machine token', async () => {
    const r = await call('/api/logs/%2Flegacy%2Fapp', {
      method: 'POST',
      as: TOKEN,
      headers: { 'content-type': 'text/plain' },
      body: 'ERROR a\r\nfine\n\nERROR b\n',
    });
    expect(await r.json()).toEqual({ accepted: 3, truncated: 0 });
    expect(f.sum('Errors')).toBe(2);
  });

  it('refuses strangers, unknown groups, too many events, too large bodies and events out of range', async () => {
    expect((await call('/api/logs/web', { method: 'POST', as: 'nobody', json: { events: [] } })).status).toBe(401);
    const unknown = await call('/api/logs/nope', { method: 'POST', json: { events: [] } });
    expect([unknown.status, (await unknown.json()).error.code]).toEqual([404, 'CAIRN_LOG_GROUP_NOT_FOUND']);
    const many = await call('/api/logs/web', { method: 'POST', json: { events: Array(6).fill({ message: 'x' }) } });
    expect([many.status, (await many.json()).error.code]).toEqual([400, 'CAIRN_INVALID_LOG_EVENTS']);
    const big = await call('/api/logs/web', { method: 'POST', json: { events: [{ message: 'x'.repeat(5000) }] } });
    expect(big.status).toBe(413);
    const old = await call('/api/logs/web', { method: 'POST', json: { logEvents: [{ message: 'x', timestamp: 0 }] } });
    expect(await old.json()).toEqual({ accepted: 0, truncated: 0, rejected: { tooOld: 1, tooNew: 0 } });
  });

  it('answers test-metric-filter exactly like AWS TestMetricFilter', async () => {
    const r = await call('/api/logs/test-metric-filter', {
      method: 'POST',
      json: {
        filterPattern: '[ip, user, status = 4*, bytes]',
        logEventMessages: ['1.2.3.4 bob 404 10', '1.2.3.4 bob 200 10'],
      },
    });
    expect(await r.json()).toEqual({
      matches: [
        {
          eventNumber: 1,
          eventMessage: '1.2.3.4 bob 404 10',
          extractedValues: { $ip: '1.2.3.4', $user: 'bob', $status: '404', $bytes: '10' },
        },
      ],
    });
    const bad = await call('/api/logs/test-metric-filter', {
      method: 'POST',
      json: { filterPattern: '[a,', logEventMessages: ['x'] },
    });
    const err = await bad.json();
    expect([bad.status, err.error.code]).toEqual([400, 'CAIRN_INVALID_FILTER_PATTERN']);
    expect(err.error.message).toMatch(/^column \d+: /);
  });

  it('lists metrics and returns datapoints of any statistic', async () => {
    f.agent.ingest(
      '/legacy/app',
      [10, 20, 30, 40].map((latency) => ({ message: JSON.stringify({ latency, route: '/a' }) })),
    );
    const list = await (await call('/api/metrics?namespace=Test')).json();
    expect(list.items.map((m: any) => [m.name, m.dimensions, m.unit])).toEqual([
      ['Latency', { Route: '/a' }, 'Milliseconds'],
    ]);
    const q = (stat: string) =>
      call(
        `/api/metrics/data?namespace=Test&name=Latency&dimensions=${encodeURIComponent('{"Route":"/a"}')}&stat=${stat}&period=60`,
      ).then((r) => r.json());
    expect((await q('Average')).datapoints.map((d: any) => [d.value, d.sampleCount])).toEqual([[25, 4]]);
    expect((await q('p50')).datapoints[0].value).toBe(20);
    expect((await call('/api/metrics/data?namespace=Test&name=Latency&period=7')).status).toBe(400);
  });

  it('shows alarms with their state and history', async () => {
    f.agent.ingest('/legacy/app', [{ message: 'ERROR' }]);
    f.clock.advance(65_000);
    await f.agent.evaluate();
    const { items } = await (await call('/api/alarms')).json();
    expect(items[0]).toMatchObject({ AlarmName: 'errors', state: { value: 'ALARM' } });
    expect(items[0].history).toHaveLength(1);
    const h = await (await call('/api/alarms/errors/history')).json();
    expect(h.items[0]).toMatchObject({ oldState: 'INSUFFICIENT_DATA', newState: 'ALARM', queued: true });
    expect((await call('/api/alarms/nope/history')).status).toBe(404);
  });
});
