import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../../config/alerts.ts';
import { ManualClock } from '../../clock.ts';
import type { HttpClient, HttpRequestSpec } from '../../../ports/alerts.ts';
import type { IngestedEvent } from '../model.ts';
import { Enricher, RetryableEnrichmentError } from './enricher.ts';

const ingested = (body: unknown, source = 'grafana'): IngestedEvent => ({
  eventId: 'evt_1',
  source,
  receivedAt: '2026-11-26T10:00:00.000Z',
  deliveryId: 'd1',
  rawBody: JSON.stringify(body),
  headers: {},
});

/** A scripted HTTP client: answers by URL and counts calls (stands in for an internal CMDB). */
function fakeHttp(answers: Record<string, { status: number; body: unknown } | 'timeout'>) {
  const calls: HttpRequestSpec[] = [];
  const http: HttpClient = {
    async send(req) {
      calls.push(req);
      const a = answers[req.url];
      if (!a) return { status: 404, headers: {}, body: '' };
      if (a === 'timeout') throw new Error('timed out after 2000 ms');
      return { status: a.status, headers: {}, body: JSON.stringify(a.body) };
    },
  };
  return { http, calls };
}

const config = (extra: Record<string, unknown> = {}) =>
  alertsSchema.parse({
    sources: {
      grafana: {
        verify: { scheme: 'bearer', secret: 't' },
        fields: { title: '$.alert.name', severity: '$.alert.level', service: '$.alert.service', status: '$.state' },
        severityMap: { P1: 'critical' },
      },
    },
    ...extra,
  });

describe('Enricher', () => {
  it('normalises a payload with the source field paths and severity map', async () => {
    const e = await new Enricher({ config: config(), http: fakeHttp({}).http, clock: new ManualClock() }).enrich(
      ingested({ alert: { name: 'Disk full', level: 'P1', service: 'payments' }, state: 'alerting' }),
    );
    expect(e).toMatchObject({
      title: 'Disk full',
      severity: 'critical',
      service: 'payments',
      status: 'firing',
      labels: { service: 'payments' },
    });
    expect(e.fingerprint).toMatch(/^[0-9a-f]{32}$/);
  });

  it('marks an event resolved when the source says the condition cleared, keeping the fingerprint', async () => {
    const en = new Enricher({ config: config(), http: fakeHttp({}).http, clock: new ManualClock() });
    const firing = await en.enrich(ingested({ alert: { name: 'Disk full', service: 'db' }, state: 'alerting' }));
    const resolved = await en.enrich(ingested({ alert: { name: 'Disk full', service: 'db' }, state: 'resolved' }));
    expect(resolved.status).toBe('resolved');
    expect(resolved.fingerprint).toBe(firing.fingerprint);
  });

  it('adds team, owner and runbook from a lookup table, then applies rules on the result', async () => {
    const cfg = config({
      enrich: {
        tables: [
          {
            key: 'service',
            values: { payments: { team: 'payments', owner: 'alice', runbook: 'https://runbooks/payments' } },
          },
        ],
        rules: [{ match: { team: ['payments'] }, set: { severity: 'critical', pager: 'yes' } }],
      },
    });
    const e = await new Enricher({ config: cfg, http: fakeHttp({}).http, clock: new ManualClock() }).enrich(
      ingested({ alert: { name: 'Latency', level: 'warning', service: 'payments' } }),
    );
    expect(e.labels).toMatchObject({
      team: 'payments',
      owner: 'alice',
      runbook: 'https://runbooks/payments',
      pager: 'yes',
    });
    expect(e.severity).toBe('critical');
  });

  it('looks up an internal service over HTTP once per TTL and keeps going when it times out', async () => {
    const cfg = config({ enrich: { http: [{ url: 'http://cmdb/services/{service}', cacheTtl: 60 }] } });
    const { http, calls } = fakeHttp({
      'http://cmdb/services/payments': { status: 200, body: { tier: 1, env: 'prod', nested: { x: 1 } } },
    });
    const clock = new ManualClock();
    const en = new Enricher({ config: cfg, http, clock });
    const body = { alert: { name: 'x', service: 'payments' } };
    expect((await en.enrich(ingested(body))).labels).toMatchObject({ tier: '1', env: 'prod' });
    await en.enrich(ingested(body));
    expect(calls).toHaveLength(1);
    clock.advance(61_000);
    await en.enrich(ingested(body));
    expect(calls).toHaveLength(2);

    const slow = new Enricher({
      config: cfg,
      http: fakeHttp({ 'http://cmdb/services/payments': 'timeout' }).http,
      clock,
    });
    const e = await slow.enrich(ingested(body));
    expect(e.enrichment.errors).toEqual([expect.stringContaining('timed out')]);
  });

  it('asks for a retry when a lookup with onFailure: retry fails', async () => {
    const cfg = config({ enrich: { http: [{ url: 'http://cmdb/{service}', onFailure: 'retry' }] } });
    const en = new Enricher({
      config: cfg,
      http: fakeHttp({ 'http://cmdb/payments': 'timeout' }).http,
      clock: new ManualClock(),
    });
    await expect(en.enrich(ingested({ alert: { name: 'x', service: 'payments' } }))).rejects.toBeInstanceOf(
      RetryableEnrichmentError,
    );
  });

  it('lets a module function change severity and labels, and survives one that throws', async () => {
    const module = (e: { labels: Record<string, string> }) => ({
      severity: 'info' as const,
      labels: { touched: 'yes', from: e.labels.service ?? '' },
    });
    const e = await new Enricher({
      config: config(),
      http: fakeHttp({}).http,
      clock: new ManualClock(),
      module,
    }).enrich(ingested({ alert: { name: 'x', level: 'P1', service: 'web' } }));
    expect(e.severity).toBe('info');
    expect(e.labels).toMatchObject({ touched: 'yes', from: 'web' });
    const broken = new Enricher({
      config: config(),
      http: fakeHttp({}).http,
      clock: new ManualClock(),
      module: () => {
        throw new Error('boom');
      },
    });
    expect((await broken.enrich(ingested({ alert: { name: 'x' } }))).enrichment.errors).toEqual([
      'module failed: boom',
    ]);
  });

  it('finds common field names for a source without field config', async () => {
    const e = await new Enricher({ config: config(), http: fakeHttp({}).http, clock: new ManualClock() }).enrich(
      ingested({ title: 'CPU high', severity: 'warn', service: 'api', status: 'firing' }, 'other'),
    );
    expect(e).toMatchObject({ title: 'CPU high', severity: 'warning', service: 'api', status: 'firing' });
  });
});
