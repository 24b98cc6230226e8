/**
 * GET /api/events/histogram in a time zone (DST days in Europe/Paris and America/New_York, a half-hour
 * zone) and GET /api/events/facets, on a real server over SQLite. Events are saved straight into the
 * hub's history with chosen receivedAt times, in 2024, clear of anything the server records itself.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnrichedEvent, Severity } from '../../src/core/alerts/model.ts';
import { expectError } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { expectDocumented } from '../http/openapi-schema.ts';

type Json = Record<string, any>;
let n = 0;

function event(at: string, severity: Severity, extra: Partial<EnrichedEvent> = {}): EnrichedEvent {
  n += 1;
  return {
    eventId: `evt_test_${n}`,
    source: 'grafana',
    receivedAt: at,
    enrichedAt: at,
    title: `event ${n}`,
    summary: '',
    severity,
    status: 'firing',
    service: 'api',
    fingerprint: `fp${n}`,
    labels: {},
    enrichment: {},
    payload: {},
    ...extra,
  };
}

describe('the events histogram in a time zone, and the filter facets', () => {
  let s: TestServer;
  let token: string;
  const get = async (path: string) => {
    const res = await s.api(path, { token });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const histogram = async (query: string) => {
    const { status, body } = await get(`/api/events/histogram?${query}`);
    expect(status, JSON.stringify(body)).toBe(200);
    expectDocumented('GET', '/api/events/histogram', 200, body);
    return body;
  };
  const counts = (body: Json) => Object.fromEntries(body.items.map((i: Json) => [i.bucket, i.count]));

  beforeAll(async () => {
    s = await startTestServer();
    token = await s.login();
    const save = (e: EnrichedEvent) => s.hub.history.save(e, '{}', new Date('2099-01-01T00:00:00Z'));
    // Paris, spring forward on 2024-03-31 at 02:00 CET (01:00Z): that day lasts 23 hours.
    for (const at of ['2024-03-30T22:30:00Z', '2024-03-30T23:30:00Z', '2024-03-31T21:30:00Z', '2024-03-31T22:30:00Z'])
      await save(event(at, 'warning', { source: 'paris' }));
    await save(event('2024-03-31T00:30:00Z', 'critical', { source: 'paris-night' })); // 01:30 CET
    await save(event('2024-03-31T01:30:00Z', 'critical', { source: 'paris-night' })); // 03:30 CEST
    // New York, fall back on 2024-11-03: 01:00–02:00 happens twice, the day lasts 25 hours.
    for (const at of ['2024-11-03T05:30:00Z', '2024-11-03T06:30:00Z', '2024-11-04T04:30:00Z'])
      await save(event(at, 'info', { source: 'nyc' }));
    // India (+05:30): 04:45Z is 10:15 local.
    await save(event('2024-01-10T04:45:00Z', 'error', { source: 'india' }));
    // Facets: three sources, severities and services in June, one event outside the range.
    const june = [
      ['alpha', 'critical', 'payments'],
      ['alpha', 'critical', 'payments'],
      ['alpha', 'warning', 'search'],
      ['beta', 'warning', null],
      ['gamma', 'info', 'payments'],
    ] as const;
    for (const [i, [source, severity, service]] of june.entries())
      await save(event(`2024-06-0${i + 1}T12:00:00Z`, severity, { source, service }));
    await save(event('2024-07-15T12:00:00Z', 'error', { source: 'outside', service: 'later' }));
    for (let i = 0; i < 55; i++)
      await save(
        event('2024-08-01T12:00:00Z', 'info', { source: 'many', service: `svc-${String(i).padStart(2, '0')}` }),
      );
  });
  afterAll(async () => {
    await s.stop();
  });

  it('starts day buckets at local midnight in Europe/Paris, a 23-hour day on the spring-forward date', async () => {
    const range = 'source=paris&from=2024-03-30T00:00:00Z&to=2024-04-02T00:00:00Z&bucket=day';
    expect(counts(await histogram(range))).toEqual({ '2024-03-30': 2, '2024-03-31': 2 }); // UTC days
    const paris = await histogram(`${range}&tz=Europe/Paris`);
    expect(paris.timeZone).toBe('Europe/Paris');
    expect(paris.items).toEqual([
      { bucket: '2024-03-30', start: '2024-03-29T23:00:00.000Z', severity: 'warning', count: 1 },
      { bucket: '2024-03-31', start: '2024-03-30T23:00:00.000Z', severity: 'warning', count: 2 },
      { bucket: '2024-04-01', start: '2024-03-31T22:00:00.000Z', severity: 'warning', count: 1 },
    ]);
  });

  it('names hours by their local time and offset across the Paris gap (no 02:00 that night)', async () => {
    const body = await histogram('source=paris-night&from=2024-03-30T00:00:00Z&bucket=hour&tz=Europe/Paris');
    expect(body.items).toEqual([
      { bucket: '2024-03-31T01:00+01:00', start: '2024-03-31T00:00:00.000Z', severity: 'critical', count: 1 },
      { bucket: '2024-03-31T03:00+02:00', start: '2024-03-31T01:00:00.000Z', severity: 'critical', count: 1 },
    ]);
  });

  it('keeps the twice-happening 01:00 apart in America/New_York and makes that day 25 hours long', async () => {
    const hours = await histogram('source=nyc&from=2024-11-01T00:00:00Z&bucket=hour&tz=America/New_York');
    expect(hours.items.map((i: Json) => [i.bucket, i.start])).toEqual([
      ['2024-11-03T01:00-04:00', '2024-11-03T05:00:00.000Z'],
      ['2024-11-03T01:00-05:00', '2024-11-03T06:00:00.000Z'],
      ['2024-11-03T23:00-05:00', '2024-11-04T04:00:00.000Z'],
    ]);
    const days = await histogram('source=nyc&from=2024-11-01T00:00:00Z&bucket=day&tz=America/New_York');
    expect(days.items).toEqual([
      { bucket: '2024-11-03', start: '2024-11-03T04:00:00.000Z', severity: 'info', count: 3 },
    ]);
  });

  it('buckets hours of a half-hour zone on its own hours', async () => {
    const body = await histogram('source=india&from=2024-01-01T00:00:00Z&bucket=hour&tz=Asia/Kolkata');
    expect(body.items).toEqual([
      { bucket: '2024-01-10T10:00+05:30', start: '2024-01-10T04:30:00.000Z', severity: 'error', count: 1 },
    ]);
  });

  it('keeps UTC buckets without tz, now with their start', async () => {
    const body = await histogram('source=india&from=2024-01-01T00:00:00Z&bucket=hour');
    expect(body).toEqual({
      bucket: 'hour',
      timeZone: 'UTC',
      items: [{ bucket: '2024-01-10T04:00Z', start: '2024-01-10T04:00:00.000Z', severity: 'error', count: 1 }],
    });
  });

  it('refuses an unknown zone or bucket with 400, naming the parameter', async () => {
    const zone = await expectError(
      await s.api('/api/events/histogram?tz=Mars/Olympus_Mons', { token }),
      400,
      'CAIRN_INVALID_QUERY',
    );
    expect(zone.error.message).toMatch(/^tz: "Mars\/Olympus_Mons" is not an IANA time zone/);
    const bucket = await expectError(
      await s.api('/api/events/histogram?bucket=week', { token }),
      400,
      'CAIRN_INVALID_QUERY',
    );
    expect(bucket.error.message).toMatch(/^bucket:/);
  });

  it('lists the sources, severities and services of a time range with counts, busiest first', async () => {
    const { status, body } = await get('/api/events/facets?from=2024-06-01T00:00:00Z&to=2024-07-01T00:00:00Z');
    expect(status).toBe(200);
    expectDocumented('GET', '/api/events/facets', 200, body);
    expect(body).toEqual({
      from: '2024-06-01T00:00:00.000Z',
      to: '2024-07-01T00:00:00.000Z',
      limit: 50,
      sources: [
        { value: 'alpha', count: 3 },
        { value: 'beta', count: 1 },
        { value: 'gamma', count: 1 },
      ],
      severities: [
        { value: 'critical', count: 2 },
        { value: 'warning', count: 2 },
        { value: 'info', count: 1 },
      ],
      // The event without a service is not counted here.
      services: [
        { value: 'payments', count: 3 },
        { value: 'search', count: 1 },
      ],
      truncated: { sources: false, severities: false, services: false },
    });
  });

  it('shows at most 50 values of a dimension and says when there were more', async () => {
    const { body } = await get('/api/events/facets?from=2024-08-01T00:00:00Z&to=2024-08-02T00:00:00Z');
    expect(body.services).toHaveLength(50);
    expect(body.services[0]).toEqual({ value: 'svc-00', count: 1 });
    expect(body.truncated).toEqual({ sources: false, severities: false, services: true });
    const small = await get('/api/events/facets?from=2024-06-01T00:00:00Z&to=2024-07-01T00:00:00Z&limit=1');
    expect(small.body.sources).toEqual([{ value: 'alpha', count: 3 }]);
    expect(small.body.truncated).toEqual({ sources: true, severities: true, services: true });
  });

  it('refuses a facet limit outside 1–50 and a bad time', async () => {
    for (const q of ['limit=0', 'limit=51', 'limit=ten', 'from=yesterday'])
      await expectError(await s.api(`/api/events/facets?${q}`, { token }), 400, 'CAIRN_INVALID_QUERY');
  });

  it('needs a signed-in user', async () => {
    expect((await s.api('/api/events/facets')).status).toBe(401);
    expect((await s.api('/api/events/histogram?tz=Europe/Paris')).status).toBe(401);
  });
});
