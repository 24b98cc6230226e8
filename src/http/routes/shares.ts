import { Hono } from 'hono';
import type { ShareView } from '../../core/sharing/model.ts';
import { requireUser } from '../auth.ts';
import { pageQuery, readJson } from '../body.ts';
import type { AppDeps, Env } from '../context.ts';

/** The signed-in user's uploads and shares (owner side) and what others shared with them. */
export function shareRoutes(deps: AppDeps) {
  const app = new Hono<Env>();
  const withUrl = (s: ShareView) => ({ ...s, url: `${deps.publicUrl}/s/${s.id}` });

  app.post('/uploads', async (c) => c.json(await deps.sharing.createUpload(requireUser(c), await readJson(c)), 201));

  app.post('/uploads/:fileId/complete', async (c) =>
    c.json(await deps.sharing.completeUpload(requireUser(c), c.req.param('fileId'))),
  );

  app.post('/files/:fileId/presign', async (c) =>
    c.json(
      await deps.sharing.presignFile(requireUser(c), c.req.param('fileId'), await readJson(c, { optional: true })),
    ),
  );

  app.post('/shares', async (c) => {
    const share = await deps.sharing.createShare(requireUser(c), await readJson(c));
    return c.json(withUrl(share), 201);
  });

  app.get('/shares', async (c) => {
    const page = await deps.sharing.listMine(requireUser(c), pageQuery(c));
    return c.json({ ...page, items: page.items.map(withUrl) });
  });

  app.get('/shares/received', async (c) => {
    const page = await deps.sharing.listReceived(requireUser(c), pageQuery(c));
    return c.json({ ...page, items: page.items.map(withUrl) });
  });

  app.get('/shares/:id', async (c) => c.json(withUrl(await deps.sharing.getMine(requireUser(c), c.req.param('id')))));

  app.delete('/shares/:id', async (c) => {
    await deps.sharing.revoke(requireUser(c), c.req.param('id'));
    return c.body(null, 204);
  });

  app.get('/shares/:id/downloads', async (c) => {
    const page = await deps.sharing.listDownloads(requireUser(c), c.req.param('id'), pageQuery(c));
    return c.json({ ...page, items: page.items.map((d) => ({ ...d, at: d.at.toISOString() })) });
  });
  return app;
}
