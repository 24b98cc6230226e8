import { Readable } from 'node:stream';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import yazl from 'yazl';
import type { DownloadGrant } from '../../core/sharing/service.ts';
import type { Viewer } from '../../core/sharing/policy.ts';
import { isCairnError } from '../../core/errors.ts';
import { readJson } from '../body.ts';
import type { AppDeps, Env } from '../context.ts';

const unlockCookie = (id: string) => `cairn_unlock_${id}`;

/**
 * What a share's link opens: `/s/{id}` (landing page, served by the web UI), `/info`, `/unlock`,
 * `/download` (one file, or all as a zip) and `/files/{fileId}`. Downloads pass the share's policy,
 * are counted and audited, then redirect to a presigned object URL that lives ≤ 60 s.
 */
export function shareLinkRoutes(deps: AppDeps) {
  const app = new Hono<Env>();

  async function viewer(c: Context<Env>, id: string): Promise<Viewer> {
    const token = getCookie(c, unlockCookie(id));
    const unlocked = token ? (await deps.unlockTokens.read(token))?.username === id : false;
    return { principal: c.get('principal'), unlockedShareIds: new Set(unlocked ? [id] : []) };
  }

  const ctx = (c: Context) => ({ ip: deps.clientAddress(c), userAgent: c.req.header('user-agent') ?? '' });

  app.get('/:id/info', async (c) => {
    const id = c.req.param('id');
    c.header('Cache-Control', 'no-store');
    return c.json(await deps.sharing.describeForViewer(id, await viewer(c, id)));
  });

  app.post('/:id/unlock', async (c) => {
    const id = c.req.param('id');
    const body = (await readJson(c)) as { password?: unknown };
    await deps.sharing.unlock(id, body?.password, await viewer(c, id), ctx(c));
    const { token, expiresAt } = await deps.unlockTokens.issue(
      { username: id, displayName: id, admin: false },
      'unlock',
    );
    setCookie(c, unlockCookie(id), token, {
      httpOnly: true,
      sameSite: 'Strict',
      secure: deps.secureCookies,
      path: `/s/${id}`,
      expires: expiresAt,
    });
    return c.body(null, 204);
  });

  app.get('/:id/download', (c) =>
    browserFriendly(c, async (id) => {
      const grant = await deps.sharing.authorizeDownload(id, null, await viewer(c, id), ctx(c));
      return grant.files.length === 1 ? redirect(c, grant) : zip(c, grant);
    }),
  );

  app.get('/:id/files/:fileId', (c) =>
    browserFriendly(c, async (id) =>
      redirect(c, await deps.sharing.authorizeDownload(id, c.req.param('fileId'), await viewer(c, id), ctx(c))),
    ),
  );

  /**
   * A browser that follows a download link of a share it may not use (expired, revoked, locked, needs
   * sign-in) lands on the share's page, which explains why; API clients get the JSON error.
   */
  async function browserFriendly(c: Context<Env>, run: (id: string) => Promise<Response>) {
    const id = c.req.param('id')!;
    try {
      return await run(id);
    } catch (err) {
      const wantsHtml = (c.req.header('accept') ?? '').includes('text/html');
      if (wantsHtml && isCairnError(err) && err.kind !== 'rate_limited')
        return c.redirect(`/s/${encodeURIComponent(id)}`, 303);
      throw err;
    }
  }

  async function redirect(c: Context, grant: DownloadGrant) {
    const url = await deps.sharing.presignGrantedFile(grant, grant.files[0]!);
    c.header('Cache-Control', 'no-store');
    c.header('X-Content-Type-Options', 'nosniff');
    return c.redirect(url.url, 302);
  }

  /** Streams every file of the share as one zip; each file is decrypted only when the zip reaches it. */
  async function zip(c: Context, grant: DownloadGrant) {
    const zipfile = new yazl.ZipFile();
    const names = new Set<string>();
    for (const file of grant.files) {
      const name = uniqueName(file.name, names);
      zipfile.addReadStreamLazy(name, { compress: false, size: file.size, mtime: file.createdAt }, (cb) => {
        deps.sharing
          .openFile(grant, file)
          .then((body) => cb(null, Readable.from(body)))
          .catch((err: unknown) => cb(err, undefined as never));
      });
    }
    zipfile.end();
    c.header('Content-Type', 'application/zip');
    c.header('Content-Disposition', `attachment; filename="cairn-${grant.share.id.slice(0, 8)}.zip"`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    return c.body(Readable.toWeb(zipfile.outputStream as Readable) as ReadableStream);
  }
  return app;
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate.toLowerCase()); i++) {
    const dot = name.lastIndexOf('.');
    candidate = dot > 0 ? `${name.slice(0, dot)} (${i})${name.slice(dot)}` : `${name} (${i})`;
  }
  taken.add(candidate.toLowerCase());
  return candidate;
}
