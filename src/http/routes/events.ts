import { Hono } from 'hono';
import { notFound } from '../../core/errors.ts';
import {
  parseEventQuery,
  parseFacetsQuery,
  parseHistogramQuery,
  parseReportQuery,
  reportToCsv,
} from '../../core/alerts/history/query.ts';
import {
  type EventHistoryCounts,
  slotSizeFor,
  utcBucketStart,
  zonedHistogram,
} from '../../core/alerts/history/zoned-histogram.ts';
import type { Clock } from '../../core/clock.ts';
import type { DeliveryRepository, EventHistory } from '../../ports/alerts.ts';
import { requireUser } from '../auth.ts';
import { pageQuery } from '../body.ts';
import type { Env } from '../context.ts';

export interface EventRouteDeps {
  history: EventHistory & EventHistoryCounts;
  deliveries: DeliveryRepository;
  clock: Clock;
}

/** An unbounded histogram in a zone samples the zone's offsets over this much history. */
const DEFAULT_SPAN_MS = 400 * 86_400_000;

/** Event history, the year-end report, the chart's histogram and the filters' values (signed-in users). */
export function eventRoutes(deps: EventRouteDeps) {
  const app = new Hono<Env>();

  app.get('/events', async (c) => {
    requireUser(c);
    const page = await deps.history.query(parseEventQuery(c.req.query()), pageQuery(c));
    // The list stays light: no raw body or payload; GET /api/events/{id} has them.
    const items = page.items.map(({ rawBody: _r, payload: _p, ...rest }) => rest);
    return c.json({ ...page, items });
  });

  app.get('/events/histogram', async (c) => {
    requireUser(c);
    const { filter, bucket, timeZone } = parseHistogramQuery(c.req.query());
    if (timeZone === 'UTC') {
      const rows = await deps.history.histogram(filter, bucket);
      return c.json({ bucket, timeZone, items: rows.map((r) => ({ ...r, start: utcBucketStart(r.bucket) })) });
    }
    const now = deps.clock.now().getTime();
    const to = filter.to ? Date.parse(filter.to) : now;
    const from = filter.from ? Date.parse(filter.from) : Math.min(to, now) - DEFAULT_SPAN_MS;
    const slots = await deps.history.slotCounts(filter, slotSizeFor(timeZone, from, to));
    return c.json({ bucket, timeZone, items: zonedHistogram(slots, bucket, timeZone) });
  });

  app.get('/events/facets', async (c) => {
    requireUser(c);
    const { filter, limit } = parseFacetsQuery(c.req.query());
    // One more than asked tells whether a dimension has more values than are shown.
    const found = await deps.history.facets(filter, limit + 1);
    const dims = ['sources', 'severities', 'services'] as const;
    return c.json({
      from: filter.from ?? null,
      to: filter.to ?? null,
      limit,
      ...Object.fromEntries(dims.map((d) => [d, found[d].slice(0, limit)])),
      truncated: Object.fromEntries(dims.map((d) => [d, found[d].length > limit])),
    });
  });

  app.get('/events/:id', async (c) => {
    requireUser(c);
    const event = await deps.history.get(c.req.param('id'));
    if (!event) throw notFound('CAIRN_EVENT_NOT_FOUND', 'No such event (it may have passed its retention).');
    return c.json({ ...event, deliveries: await deps.deliveries.listForEvent(event.eventId) });
  });

  app.get('/reports/events', async (c) => {
    requireUser(c);
    const { filter, groupBy } = parseReportQuery(c.req.query());
    const rows = await deps.history.report(filter, groupBy);
    if ((c.req.header('accept') ?? '').includes('text/csv')) {
      c.header('Content-Type', 'text/csv; charset=utf-8');
      c.header('Content-Disposition', 'attachment; filename="cairn-events-report.csv"');
      return c.body(reportToCsv(groupBy, rows));
    }
    return c.json({ groupBy, from: filter.from ?? null, to: filter.to ?? null, rows });
  });
  return app;
}
