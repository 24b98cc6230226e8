import { Hono } from 'hono';
import { z } from 'zod';
import { invalid } from '../../core/errors.ts';
import { nextScheduledRun } from '../../core/backups/next-run.ts';
import type { BackupService } from '../../core/backups/service.ts';
import { type Clock, systemClock } from '../../core/clock.ts';
import { jobView, runView } from '../../core/backups/view.ts';
import { requireAdmin, requireUser } from '../auth.ts';
import { pageQuery, readJson } from '../body.ts';
import type { Env } from '../context.ts';

export interface BackupRouteDeps {
  backups: BackupService;
  /** For `nextRunAt` (default: the system clock). */
  clock?: Clock;
}

const nextRunView = (next: ReturnType<typeof nextScheduledRun>) => ({
  nextRunAt: next ? next.at.toISOString() : null,
  nextRunKind: next?.kind ?? null,
});

const runBody = z.object({ full: z.boolean().optional() }).strict();

/**
 * Backups (mounted under /api): jobs (with their next scheduled run), paginated run history, a run with live progress, starting a run
 * (202: it goes on in the background; poll the run) and verifying one. Reading needs a signed-in user;
 * starting and verifying need an admin.
 */
export function backupRoutes(deps: BackupRouteDeps) {
  const app = new Hono<Env>();
  const { backups } = deps;
  const clock = deps.clock ?? systemClock;

  app.get('/backups/jobs', async (c) => {
    requireUser(c);
    const items = await Promise.all(
      backups.jobs().map(async (job) => {
        const [last] = (await backups.listRuns(job.name, { limit: 1 })).items;
        return {
          ...jobView(job),
          ...nextRunView(nextScheduledRun(job, clock.now())),
          lastRun: last ? runView(last, (await backups.getRun(last.id)).progress) : null,
        };
      }),
    );
    return c.json({ items });
  });

  app.get('/backups/jobs/:job/runs', async (c) => {
    requireUser(c);
    const page = await backups.listRuns(c.req.param('job'), pageQuery(c));
    return c.json({ ...page, items: page.items.map((r) => runView(r, backups.board.get(r.id) ?? null)) });
  });

  app.get('/backups/runs/:id', async (c) => {
    requireUser(c);
    const { run, progress } = await backups.getRun(c.req.param('id'));
    const chunks = progress ? { total: progress.chunksTotal, done: progress.chunksDone } : null;
    return c.json({ ...runView(run, progress), progress: chunks });
  });

  app.post('/backups/jobs/:job/run', async (c) => {
    requireAdmin(c);
    const parsed = runBody.safeParse(await readJson(c, { optional: true }));
    if (!parsed.success) throw invalid('CAIRN_INVALID_REQUEST', 'full: must be true or false (no other fields)');
    const started = await backups.start(c.req.param('job'), { full: parsed.data.full === true, trigger: 'api' });
    c.header('Location', `/api/backups/runs/${started.run.id}`);
    return c.json(
      { ...runView(started.run, backups.board.get(started.run.id) ?? null), resumed: started.resumed },
      202,
    );
  });

  app.post('/backups/runs/:id/verify', async (c) => {
    requireAdmin(c);
    const { run } = await backups.getRun(c.req.param('id'));
    const [report] = await backups.verify(run.job, run.id);
    return c.json(report);
  });

  return app;
}
