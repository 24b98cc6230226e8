import { Hono } from 'hono';
import { notFound } from '../../core/errors.ts';
import type { Silences } from '../../core/alerts/notify/index.ts';
import type { SubscriptionDirectory } from '../../core/alerts/topic/index.ts';
import type { SilenceStore } from '../../ports/alerts-topic.ts';
import type { EventHistory } from '../../ports/alerts.ts';
import type { Queue } from '../../ports/queue.ts';
import type { Clock } from '../../core/clock.ts';
import { requireAdmin, requireUser } from '../auth.ts';
import { pageQuery, readJson } from '../body.ts';
import type { Env } from '../context.ts';
import { deadLetterView } from './dead-letter-view.ts';
import { listSilences, parseOrigin } from './silence-list.ts';

export interface AlertsAdminDeps {
  queues: () => Map<string, Queue<unknown>>;
  silences: Silences;
  silenceStore: SilenceStore;
  subscriptions: SubscriptionDirectory;
  clock: Clock;
  /** Names the event of each dead letter (source, title); without it, only the ids in the body. */
  history?: Pick<EventHistory, 'get'>;
}

/**
 * Queue and DLQ depth with redrive (each dead letter names its event), silences (cairn.yaml's, read-only,
 * and runtime ones) and runtime subscriptions (SNS-style), for the Alerts page.
 */
export function alertsAdminRoutes(deps: AlertsAdminDeps) {
  const app = new Hono<Env>();
  const queueNamed = (name: string) => {
    const q = deps.queues().get(name);
    if (!q) throw notFound('CAIRN_QUEUE_NOT_FOUND', `No queue ${name}; GET /api/alerts/queues lists them.`);
    return q;
  };

  app.get('/queues', async (c) => {
    requireUser(c);
    const items = await Promise.all(
      [...deps.queues().values()].map(async (q) => ({ name: q.name, ...(await q.depth()) })),
    );
    return c.json({ items: items.sort((a, b) => a.name.localeCompare(b.name)) });
  });

  app.get('/queues/:name/dead', async (c) => {
    requireUser(c);
    const page = await queueNamed(c.req.param('name')).listDead(pageQuery(c));
    return c.json({ ...page, items: await Promise.all(page.items.map((d) => deadLetterView(d, deps.history))) });
  });

  app.post('/queues/:name/redrive', async (c) => {
    requireAdmin(c);
    const body = (await readJson(c, { optional: true })) as { ids?: unknown };
    const ids = Array.isArray(body?.ids) ? body.ids.filter((i): i is string => typeof i === 'string') : undefined;
    return c.json({ redriven: await queueNamed(c.req.param('name')).redrive(ids) });
  });

  app.get('/silences', async (c) => {
    requireUser(c);
    const origin = parseOrigin(c.req.query('origin'));
    const configured = () => deps.silences.listConfigured(deps.clock.now());
    return c.json(await listSilences(configured, deps.silenceStore, pageQuery(c), origin));
  });

  app.post('/silences', async (c) => {
    const user = requireUser(c);
    const b = (await readJson(c)) as { match?: unknown; startsAt?: string; endsAt?: string; comment?: string };
    const silence = await deps.silences.create(
      {
        match: b.match,
        ...(b.startsAt ? { startsAt: b.startsAt } : {}),
        endsAt: String(b.endsAt ?? ''),
        ...(b.comment ? { comment: b.comment } : {}),
        createdBy: user.username,
      },
      deps.clock.now(),
    );
    return c.json({ ...silence, origin: 'api' }, 201);
  });

  app.delete('/silences/:id', async (c) => {
    requireUser(c);
    // A silence of cairn.yaml is refused with 409 CAIRN_SILENCE_READ_ONLY: it is edited in the file.
    return c.json({ ...(await deps.silences.expire(c.req.param('id'), deps.clock.now())), origin: 'api' });
  });

  app.get('/subscriptions', async (c) => {
    requireUser(c);
    const all = await deps.subscriptions.all();
    // Secrets are shown once, when a subscription is made; never in a list.
    return c.json({ items: all.map(({ secret: _s, ...rest }) => rest) });
  });

  app.post('/subscriptions', async (c) => {
    requireAdmin(c);
    return c.json(await deps.subscriptions.put(await readJson(c), deps.clock.now()), 201);
  });

  app.delete('/subscriptions/:name', async (c) => {
    requireAdmin(c);
    await deps.subscriptions.remove(c.req.param('name'));
    return c.body(null, 204);
  });
  return app;
}
