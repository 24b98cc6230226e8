import { Hono } from 'hono';
import { readSession } from './auth.ts';
import type { AppDeps, Env } from './context.ts';
import { errorBody, mapError } from './error-mapper.ts';
import { openApiDocument } from './openapi.ts';
import { alertsAdminRoutes } from './routes/alerts-admin.ts';
import { authRoutes } from './routes/auth.ts';
import { backupRoutes } from './routes/backups.ts';
import { logIngestTokenAuth, logRoutes } from './routes/logs.ts';
import { eventRoutes } from './routes/events.ts';
import { hookRoutes } from './routes/hooks.ts';
import { shareLinkRoutes } from './routes/share-links.ts';
import { shareRoutes } from './routes/shares.ts';
import { userRoutes } from './routes/users.ts';

const SECURITY_HEADERS: Record<string, string> = {
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  // Share ids are secrets: never leak them to other sites through the Referer header.
  'Referrer-Policy': 'no-referrer',
  'Content-Security-Policy':
    "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
};

/** The one HTTP app, served by Node locally and by Lambda on AWS, with its dependencies passed in. */
export function createApp(deps: AppDeps) {
  const app = new Hono<Env>();
  app.onError((err, c) => mapError(err, c, deps.logger));
  app.use('*', async (c, next) => {
    await next();
    for (const [k, v] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(k)) c.res.headers.set(k, v);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  app.get('/api/openapi.json', (c) => c.json(openApiDocument(deps.publicUrl)));

  // Machine tokens for log ingest are checked before the session reader, which would refuse them.
  if (deps.logs) app.use('/api/logs/*', logIngestTokenAuth(deps.logs));
  app.use('/api/*', readSession(deps));
  app.use('/s/*', readSession(deps));
  app.route('/api/auth', authRoutes(deps));
  app.route('/api', userRoutes(deps));
  app.route('/api', shareRoutes(deps));
  app.route('/s', shareLinkRoutes(deps));
  if (deps.hub) {
    app.route('/hooks', hookRoutes(deps.hub));
    app.route('/api', eventRoutes(deps.hub));
    app.route('/api/alerts', alertsAdminRoutes(deps.hub));
  }
  if (deps.backups) app.route('/api', backupRoutes({ backups: deps.backups }));
  if (deps.logs) app.route('/api', logRoutes(deps.logs));
  app.all('/api/*', (c) =>
    c.json(
      errorBody('CAIRN_ROUTE_NOT_FOUND', `No API route ${c.req.method} ${c.req.path}; see /api/openapi.json.`),
      404,
    ),
  );
  if (deps.web) app.use('*', deps.web);
  app.notFound((c) => c.json(errorBody('CAIRN_ROUTE_NOT_FOUND', `Nothing at ${c.req.path}.`), 404));
  return app;
}
