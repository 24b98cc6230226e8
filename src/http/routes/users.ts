import { Hono } from 'hono';
import { invalid } from '../../core/errors.ts';
import { requireAdmin, requireUser } from '../auth.ts';
import { pageQuery, readJson } from '../body.ts';
import type { AppDeps, Env } from '../context.ts';

export function userRoutes(deps: AppDeps) {
  const app = new Hono<Env>();

  /** The recipient picker: search as you type. */
  app.get('/users', async (c) => {
    requireUser(c);
    const q = (c.req.query('q') ?? '').trim();
    if (q.length > 64) throw invalid('CAIRN_INVALID_REQUEST', 'q: at most 64 characters');
    const limit = Math.min(Number(c.req.query('limit') ?? 10) || 10, 25);
    return c.json({ users: await deps.identity.findUsers(q, limit) });
  });

  app.get('/admin/users', async (c) => {
    requireAdmin(c);
    const page = await deps.users.listUsers(pageQuery(c));
    return c.json({
      items: page.items.map((u) => ({
        username: u.username,
        displayName: u.displayName,
        admin: u.admin,
        createdAt: u.createdAt.toISOString(),
      })),
      ...(page.cursor ? { cursor: page.cursor } : {}),
    });
  });

  app.post('/admin/users', async (c) => {
    requireAdmin(c);
    const b = (await readJson(c)) as Record<string, unknown>;
    if (typeof b.username !== 'string' || typeof b.password !== 'string') {
      throw invalid('CAIRN_INVALID_REQUEST', 'username and password: give both as strings');
    }
    const user = await deps.users.addUser({
      username: b.username,
      password: b.password,
      ...(typeof b.displayName === 'string' ? { displayName: b.displayName } : {}),
      admin: b.admin === true,
    });
    return c.json(user, 201);
  });

  app.delete('/admin/users/:username', async (c) => {
    requireAdmin(c);
    await deps.users.removeUser(c.req.param('username'));
    return c.body(null, 204);
  });
  return app;
}
