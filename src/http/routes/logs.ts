/**
 * The log agent's API: POST /api/logs/{logGroup} (JSON `{ events | logEvents: [{ message, timestamp? }] }`
 * or newline-delimited text/plain), TestMetricFilter, metrics and their datapoints, alarms and history.
 */
import { timingSafeEqual } from 'node:crypto';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { invalid, notFound } from '../../core/errors.ts';
import { testMetricFilter } from '../../core/logs/index.ts';
import { isStatistic } from '../../core/logs/metrics/index.ts';
import type { LogAgent } from '../../runtime/local/log-agent.ts';
import { requireUser } from '../auth.ts';
import { pageQuery } from '../body.ts';
import type { Env } from '../context.ts';
import { readCappedBody } from './hooks.ts';

export interface LogRouteDeps {
  agent: LogAgent;
  /** Machine tokens for POST /api/logs/{logGroup} (see logIngestTokenAuth). */
  ingestTokens?: readonly string[];
  now?: () => number;
}

const MAX_DATAPOINTS = 1440;

export function logRoutes(deps: LogRouteDeps) {
  const app = new Hono<Env>();
  const now = deps.now ?? Date.now;

  app.post('/logs/test-metric-filter', async (c) => {
    requireUser(c);
    const body = await jsonBody(c, deps.agent.config.ingest.maxBodyBytes);
    const b = body as { filterPattern?: unknown; logEventMessages?: unknown };
    if (typeof b?.filterPattern !== 'string')
      throw invalid('CAIRN_INVALID_FILTER_PATTERN', 'filterPattern: a string is required');
    return c.json(testMetricFilter(b.filterPattern, b.logEventMessages as string[]));
  });

  app.get('/logs/status', (c) => {
    requireUser(c);
    return c.json(deps.agent.status());
  });

  app.post('/logs/*', async (c) => {
    requireUser(c);
    return ingest(c, deps);
  });

  app.get('/metrics', (c) => {
    requireUser(c);
    const q = c.req.query();
    return c.json(
      deps.agent.metrics.listMetrics(
        { ...(q.namespace ? { namespace: q.namespace } : {}), ...(q.name ? { name: q.name } : {}) },
        pageQuery(c),
      ),
    );
  });

  app.get('/metrics/data', (c) => {
    requireUser(c);
    const q = c.req.query();
    const bad = (m: string) => invalid('CAIRN_INVALID_METRIC_QUERY', m);
    if (!q.namespace || !q.name) throw bad('namespace and name are required');
    let dimensions: Record<string, string> = {};
    if (q.dimensions) {
      try {
        dimensions = JSON.parse(q.dimensions) as Record<string, string>;
      } catch {
        throw bad('dimensions: a JSON object such as {"Status":"500"}');
      }
      if (
        typeof dimensions !== 'object' ||
        Array.isArray(dimensions) ||
        Object.values(dimensions).some((v) => typeof v !== 'string')
      )
        throw bad('dimensions: a JSON object of strings');
    }
    const stat = q.stat ?? 'Sum';
    if (!isStatistic(stat)) throw bad('stat: Sum, Average, Minimum, Maximum, SampleCount or a percentile such as p90');
    const period = Number(q.period ?? 60);
    if (!Number.isInteger(period) || period < 10 || period % 10 !== 0) throw bad('period: a multiple of 10 seconds');
    const t = now();
    // By default up to the end of the current period, so that its data so far is included.
    const to = q.to ? Date.parse(q.to) : Math.floor(t / (period * 1000)) * period * 1000 + period * 1000;
    const from = q.from ? Date.parse(q.from) : to - 3 * 3600_000;
    if (Number.isNaN(from) || Number.isNaN(to) || from >= to) throw bad('from and to: ISO 8601 times, from before to');
    if ((to - from) / (period * 1000) > MAX_DATAPOINTS)
      throw bad(`at most ${MAX_DATAPOINTS} datapoints per request: use a longer period or a shorter range`);
    const series = { namespace: q.namespace, name: q.name, dimensions };
    const datapoints = deps.agent.metrics
      .statistics(series, stat, period, from, to, t)
      .map(({ bucket: _b, ...d }) => d);
    return c.json({
      ...series,
      stat,
      period,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      datapoints,
    });
  });

  app.get('/alarms', (c) => {
    requireUser(c);
    const items = deps.agent.runner.definitions().map((a) => {
      const s = deps.agent.alarms.state(a.AlarmName);
      return {
        ...a,
        DatapointsToAlarm: a.DatapointsToAlarm,
        state: s
          ? { value: s.value, reason: s.reason, reasonData: s.reasonData ?? null, timestamp: s.timestamp }
          : null,
        evaluatedAt: s?.evaluatedAt ?? null,
        history: deps.agent.alarms.history(a.AlarmName, { limit: 10 }).items,
      };
    });
    return c.json({ items });
  });

  app.get('/alarms/:name/history', (c) => {
    requireUser(c);
    const name = c.req.param('name');
    if (!deps.agent.runner.definitions().some((a) => a.AlarmName === name))
      throw notFound('CAIRN_ALARM_NOT_FOUND', `No alarm named "${name}" in logs.alarms.`);
    return c.json(deps.agent.alarms.history(name, pageQuery(c)));
  });
  return app;
}

/**
 * For machines that ship logs with a static token (`logs.ingest.tokenEnv`): mount it on `/api/logs/*`
 * BEFORE the session middleware, which would refuse a bearer token that is not a session. A request with
 * a configured token is answered here; any other goes on to the session check and logRoutes.
 */
export function logIngestTokenAuth(deps: LogRouteDeps): MiddlewareHandler {
  const tokens = (deps.ingestTokens ?? []).map((t) => Buffer.from(t));
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (c.req.method !== 'POST' || tokens.length === 0 || !header?.toLowerCase().startsWith('bearer ')) return next();
    const given = Buffer.from(header.slice(7).trim());
    const ok = tokens.some((t) => t.length === given.length && timingSafeEqual(t, given));
    if (!ok || c.req.path.endsWith('/logs/test-metric-filter') || c.req.path.endsWith('/logs/status')) return next();
    return ingest(c, deps);
  };
}

async function ingest(c: Context, deps: LogRouteDeps): Promise<Response> {
  const agent = deps.agent;
  const raw = decodeURIComponent(c.req.path.replace(/^.*?\/logs\//, ''));
  const group = agent.hasGroup(raw) ? raw : agent.hasGroup('/' + raw) ? '/' + raw : undefined;
  if (!group) throw notFound('CAIRN_LOG_GROUP_NOT_FOUND', `No log group "${raw}" under logs.groups.`);
  const { maxBodyBytes, maxEvents } = agent.config.ingest;
  const type = (c.req.header('content-type') ?? '').toLowerCase();
  const bytes = await readCappedBody(c, maxBodyBytes);
  const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  let events: { message: string; timestamp?: number }[];
  if (type.startsWith('text/plain')) {
    events = text
      .split('\n')
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .filter((l) => l.length > 0)
      .map((message) => ({ message }));
  } else if (/^application\/(.+\+)?json\b/.test(type)) {
    events = parseJsonEvents(text);
  } else {
    throw invalid(
      'CAIRN_INVALID_LOG_EVENTS',
      'Send JSON { "events": [{ "message", "timestamp"? }] } or text/plain lines.',
    );
  }
  if (events.length > maxEvents)
    throw invalid('CAIRN_INVALID_LOG_EVENTS', `at most ${maxEvents} events per request (got ${events.length})`);
  const max = agent.config.maxLineBytes;
  let truncated = 0;
  for (const e of events) {
    if (Buffer.byteLength(e.message) > max) {
      e.message = Buffer.from(e.message)
        .subarray(0, max)
        .toString('utf8')
        .replace(/\uFFFD$/, '');
      truncated++;
    }
  }
  const r = agent.ingest(group, events);
  return c.json({
    accepted: r.accepted,
    truncated,
    ...(r.tooOld || r.tooNew ? { rejected: { tooOld: r.tooOld, tooNew: r.tooNew } } : {}),
  });
}

function parseJsonEvents(text: string): { message: string; timestamp?: number }[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw invalid('CAIRN_INVALID_JSON', `The body is not valid JSON: ${(e as Error).message}`);
  }
  const b = body as { events?: unknown; logEvents?: unknown };
  const list = b?.events ?? b?.logEvents;
  if (!Array.isArray(list))
    throw invalid('CAIRN_INVALID_LOG_EVENTS', 'events: a list of { message, timestamp? } is required');
  return list.map((e: unknown, i) => {
    const ev = e as { message?: unknown; timestamp?: unknown };
    if (typeof ev?.message !== 'string' || ev.message.length === 0)
      throw invalid('CAIRN_INVALID_LOG_EVENTS', `events[${i}].message: a non-empty string is required`);
    let ts: number | undefined;
    if (typeof ev.timestamp === 'number' && Number.isFinite(ev.timestamp)) ts = ev.timestamp;
    else if (typeof ev.timestamp === 'string' && !Number.isNaN(Date.parse(ev.timestamp))) ts = Date.parse(ev.timestamp);
    else if (ev.timestamp !== undefined)
      throw invalid('CAIRN_INVALID_LOG_EVENTS', `events[${i}].timestamp: epoch milliseconds or an ISO 8601 time`);
    return { message: ev.message, ...(ts === undefined ? {} : { timestamp: ts }) };
  });
}

async function jsonBody(c: Context, max: number): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  if (!/^application\/(.+\+)?json\b/i.test(type))
    throw invalid('CAIRN_INVALID_JSON', 'Send the body as application/json.');
  const bytes = await readCappedBody(c, max);
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    throw invalid('CAIRN_INVALID_JSON', `The body is not valid JSON: ${(e as Error).message}`);
  }
}
