import { Hono } from 'hono';
import { notFound } from '../../core/errors.ts';
import { parseEventQuery, parseReportQuery, reportToCsv } from '../../core/alerts/history/query.ts';
import type { DeliveryRepository, EventHistory } from '../../ports/alerts.ts';
import { requireUser } from '../auth.ts';
import { pageQuery } from '../body.ts';
import type { Env } from '../context.ts';

export interface EventRouteDeps {
  history: EventHistory;
  deliveries: DeliveryRepository;
}

/** Event history, the year-end report and the chart's histogram (signed-in users). */
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
    const bucket = c.req.query('bucket') === 'day' ? 'day' : 'hour';
    return c.json({ bucket, items: await deps.history.histogram(parseEventQuery(c.req.query()), bucket) });
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
