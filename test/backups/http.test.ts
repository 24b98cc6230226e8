import { Hono } from 'hono';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Env } from '../../src/http/context.ts';
import { mapError } from '../../src/http/error-mapper.ts';
import { backupRoutes } from '../../src/http/routes/backups.ts';
import type { Principal } from '../../src/ports/identity.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { cleanup, harness, makeOrders, ordersJob, tempDir } from './harness.ts';

function appFor(h: Awaited<ReturnType<typeof harness>>, principal: Principal | null) {
  const app = new Hono<Env>();
  app.onError((err, c) => mapError(err, c, silentLogger));
  app.use('*', async (c, next) => {
    c.set('principal', principal);
    c.set('authVia', principal ? 'bearer' : null);
    await next();
  });
  app.route('/api', backupRoutes({ backups: h.service }));
  return app;
}

const admin = { username: 'admin', displayName: 'Admin', admin: true };
const json = { 'content-type': 'application/json' };

describe('the backups API', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
    makeOrders(join(dir, 'legacy.db'), 400).close();
  });
  afterEach(() => cleanup(dir));

  it('lists jobs, starts a run (202), shows it with progress, pages the history and verifies a run', async () => {
    const h = await harness(dir, { orders: ordersJob(dir, { schedule: { incremental: 'rate(1 hour)' } }) });
    const app = appFor(h, admin);
    try {
      const jobs = await (await app.request('/api/backups/jobs')).json();
      expect(jobs.items).toMatchObject([
        { name: 'orders', mode: 'incremental', source: { type: 'sqlite', table: 'orders' }, lastRun: null },
      ]);

      const started = await app.request('/api/backups/jobs/orders/run', {
        method: 'POST',
        headers: json,
        body: '{"full":true}',
      });
      expect(started.status).toBe(202);
      const run = await started.json();
      expect(started.headers.get('location')).toBe(`/api/backups/runs/${run.id}`);
      expect(run).toMatchObject({
        job: 'orders',
        status: 'running',
        mode: 'full',
        chunksTotal: 4,
        live: true,
        resumed: false,
      });

      const again = await app.request('/api/backups/jobs/orders/run', { method: 'POST' });
      expect(again.status).toBe(409);
      expect((await again.json()).error.code).toBe('CAIRN_BACKUP_RUNNING');

      let view = await (await app.request(`/api/backups/runs/${run.id}`)).json();
      for (let i = 0; view.status === 'running' && i < 200; i++) {
        expect(view.progress).toMatchObject({ total: 4 });
        await new Promise((r) => setTimeout(r, 10));
        view = await (await app.request(`/api/backups/runs/${run.id}`)).json();
      }
      expect(view).toMatchObject({ status: 'succeeded', rows: 400, chunksDone: 4, live: false, progress: null });
      expect(view.finishedAt).toMatch(/Z$/);

      await (
        await h.service.start('orders')
      ).done;
      const page1 = await (await app.request('/api/backups/jobs/orders/runs?limit=1')).json();
      expect(page1.items).toHaveLength(1);
      expect(page1.items[0].mode).toBe('incremental');
      const page2 = await (await app.request(`/api/backups/jobs/orders/runs?limit=1&cursor=${page1.cursor}`)).json();
      expect(page2.items.map((r: { id: string }) => r.id)).toEqual([run.id]);
      expect(page2.cursor).toBeUndefined();

      const verified = await app.request(`/api/backups/runs/${run.id}/verify`, { method: 'POST' });
      expect(await verified.json()).toMatchObject({ runId: run.id, ok: true, chunks: 4, rows: 400, problems: [] });
    } finally {
      h.close();
    }
  });

  it('answers 404 for an unknown job or run, 401 unsigned, 403 for a non-admin start, 400 for a bad body', async () => {
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const app = appFor(h, admin);
      expect((await (await app.request('/api/backups/jobs/nope/runs')).json()).error.code).toBe(
        'CAIRN_BACKUP_JOB_NOT_FOUND',
      );
      expect((await app.request('/api/backups/runs/r_x')).status).toBe(404);
      const bad = await app.request('/api/backups/jobs/orders/run', {
        method: 'POST',
        headers: json,
        body: '{"full":"yes"}',
      });
      expect(bad.status).toBe(400);
      expect((await appFor(h, null).request('/api/backups/jobs')).status).toBe(401);
      const user = appFor(h, { ...admin, username: 'u', admin: false });
      expect((await user.request('/api/backups/jobs')).status).toBe(200);
      expect((await user.request('/api/backups/jobs/orders/run', { method: 'POST' })).status).toBe(403);
    } finally {
      h.close();
    }
  });
});
