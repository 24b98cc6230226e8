import { Hono } from 'hono';
import { deleteCookie, setCookie } from 'hono/cookie';
import type { AppDeps, Env } from '../context.ts';
import { SESSION_COOKIE } from '../context.ts';
import { readJson } from '../body.ts';
import { requireUser } from '../auth.ts';

export function authRoutes(deps: AppDeps) {
  const app = new Hono<Env>();

  app.post('/login', async (c) => {
    const body = (await readJson(c)) as { username?: unknown; password?: unknown };
    const { principal, session } = await deps.users.signIn(body?.username, body?.password, deps.clientAddress(c));
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.secureCookies,
      path: '/',
      expires: session.expiresAt,
    });
    deps.logger.info({ user: principal.username, ip: deps.clientAddress(c) }, 'signed in');
    return c.json({ token: session.token, expiresAt: session.expiresAt.toISOString(), user: principal });
  });

  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: '/', secure: deps.secureCookies });
    return c.body(null, 204);
  });

  app.get('/me', (c) => c.json(requireUser(c)));
  return app;
}
