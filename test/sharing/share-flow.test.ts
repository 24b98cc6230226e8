import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestServer, startTestServer } from '../helpers/server.ts';

type Json = Record<string, any>;

describe('sharing over the HTTP API', () => {
  let s: TestServer;
  let admin: string;
  let bob: string;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
    bob = await s.addUser('bob', 'bob-password', 'Bob Builder');
  });
  afterAll(() => s.stop());

  it('answers /healthz when ready', async () => {
    expect((await s.api('/healthz')).status).toBe(200);
  });

  it('refuses a wrong password with 401 and a JSON error', async () => {
    const res = await s.api('/api/auth/login', { method: 'POST', json: { username: 'admin', password: 'nope' } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as Json).error.code).toBe('CAIRN_BAD_CREDENTIALS');
  });

  it('finds users by prefix for the recipient picker', async () => {
    const res = await s.api('/api/users?q=bo', { token: admin });
    expect(((await res.json()) as Json).users).toEqual([{ username: 'bob', displayName: 'Bob Builder' }]);
    expect((await s.api('/api/users?q=bo')).status).toBe(401);
  });

  it('uploads through a presigned URL and shares a link that downloads the same bytes', async () => {
    const fileId = await s.upload(admin, 'report.txt', 'quarterly numbers');
    const res = await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId] } });
    expect(res.status).toBe(201);
    const share = (await res.json()) as Json;
    expect(share.id).toMatch(/^[A-Za-z0-9]{32}$/);
    expect(share.url).toBe(`${s.url}/s/${share.id}`);
    expect(new Date(share.expiresAt).getTime() - s.clock.now().getTime()).toBe(7 * 86400 * 1000);

    const redirect = await fetch(`${share.url}/download`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    const location = redirect.headers.get('location')!;
    const expires = Number(new URL(location).searchParams.get('X-Cairn-Expires'));
    expect(expires * 1000 - s.clock.now().getTime()).toBeLessThanOrEqual(60_000);
    const file = await fetch(location);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="report.txt"/);
    expect(file.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await file.text()).toBe('quarterly numbers');
  });

  it('rejects an upload over the size limit with 413 before any byte', async () => {
    const res = await s.api('/api/uploads', {
      method: 'POST',
      token: admin,
      json: { name: 'huge.bin', size: 6 * 1024 ** 3 },
    });
    expect(res.status).toBe(413);
    expect(((await res.json()) as Json).error.code).toBe('CAIRN_UPLOAD_TOO_LARGE');
  });

  it('refuses a body that does not match the declared size and keeps nothing', async () => {
    const res = await s.api('/api/uploads', { method: 'POST', token: admin, json: { name: 'short.txt', size: 10 } });
    const up = (await res.json()) as Json;
    const put = await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body: 'abc' });
    expect(put.status).toBeGreaterThanOrEqual(400);
    expect(put.status).toBeLessThan(500);
    const done = await s.api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token: admin });
    expect(done.status).toBe(409);
    expect(await s.services.objects.head(`files/${up.fileId}`)).toBeNull();
  });

  it('lets only the named recipient, signed in, download a recipient share', async () => {
    const fileId = await s.upload(admin, 'for-bob.txt', 'just for bob');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId], recipients: ['bob'] } })
    ).json()) as Json;
    expect(share.kind).toBe('recipients');

    expect((await s.api(`/s/${share.id}/download`)).status).toBe(401);
    const carol = await s.addUser('carol');
    expect((await s.api(`/s/${share.id}/download`, { token: carol })).status).toBe(404);
    const ok = await s.api(`/s/${share.id}/download`, { token: bob });
    expect(ok.status).toBe(302);
    expect(await (await fetch(ok.headers.get('location')!)).text()).toBe('just for bob');

    const received = (await (await s.api('/api/shares/received', { token: bob })).json()) as Json;
    expect(received.items.map((i: Json) => i.id)).toContain(share.id);
    const audit = (await (await s.api(`/api/shares/${share.id}/downloads`, { token: admin })).json()) as Json;
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({ actor: 'bob', fileName: 'for-bob.txt', ip: '127.0.0.1' });
  });

  it('streams several files as one zip', async () => {
    const a = await s.upload(admin, 'a.txt', 'alpha');
    const b = await s.upload(admin, 'a.txt', 'bravo');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [a, b] } })
    ).json()) as Json;
    const res = await s.api(`/s/${share.id}/download`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment;/);
    const { readZip } = await import('../helpers/zip.ts');
    expect(await readZip(Buffer.from(await res.arrayBuffer()))).toEqual({ 'a.txt': 'alpha', 'a (2).txt': 'bravo' });
    const one = await s.api(`/s/${share.id}/files/${b}`);
    expect(await (await fetch(one.headers.get('location')!)).text()).toBe('bravo');
  });

  it('stops the link and every presigned URL of a share the moment it is revoked', async () => {
    const fileId = await s.upload(admin, 'secret.txt', 'classified');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId] } })
    ).json()) as Json;
    const location = (await s.api(`/s/${share.id}/download`)).headers.get('location')!;
    expect((await s.api(`/api/shares/${share.id}`, { method: 'DELETE', token: admin })).status).toBe(204);
    const link = await s.api(`/s/${share.id}/download`);
    expect(link.status).toBe(410);
    expect(((await link.json()) as Json).error.code).toBe('CAIRN_SHARE_REVOKED');
    expect((await fetch(location)).status).toBe(403);
    const mine = (await (await s.api(`/api/shares/${share.id}`, { token: admin })).json()) as Json;
    expect(mine.status).toBe('revoked');
  });

  it('answers 410 after a share expired, and the sweeper removes its file', async () => {
    const fileId = await s.upload(admin, 'brief.txt', 'short-lived');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId], expiresInSeconds: 3600 } })
    ).json()) as Json;
    expect((await s.api(`/s/${share.id}/download`)).status).toBe(302);
    s.clock.advance(3600 * 1000 + 1);
    const res = await s.api(`/s/${share.id}/download`);
    expect(res.status).toBe(410);
    expect(((await res.json()) as Json).error.code).toBe('CAIRN_SHARE_EXPIRED');
    const swept = await s.services.sweeper.sweep();
    expect(swept.expiredShares).toBeGreaterThanOrEqual(1);
    expect(await s.services.objects.head(`files/${fileId}`)).toBeNull();
  });

  it('stops after the download limit', async () => {
    const fileId = await s.upload(admin, 'once.txt', 'one time');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId], maxDownloads: 1 } })
    ).json()) as Json;
    expect((await s.api(`/s/${share.id}/download`)).status).toBe(302);
    const second = await s.api(`/s/${share.id}/download`);
    expect(second.status).toBe(410);
    expect(((await second.json()) as Json).error.code).toBe('CAIRN_SHARE_DOWNLOAD_LIMIT');
  });

  it('takes a share password by POST to /unlock, never in the URL', async () => {
    const fileId = await s.upload(admin, 'locked.txt', 'behind a password');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId], password: 'open sesame' } })
    ).json()) as Json;
    expect((await s.api(`/s/${share.id}/download`)).status).toBe(403);
    expect((await s.api(`/s/${share.id}/unlock`, { method: 'POST', json: { password: 'wrong' } })).status).toBe(401);
    const unlocked = await s.api(`/s/${share.id}/unlock`, { method: 'POST', json: { password: 'open sesame' } });
    expect(unlocked.status).toBe(204);
    const cookie = unlocked.headers.get('set-cookie')!.split(';')[0]!;
    expect(unlocked.headers.get('set-cookie')).toMatch(/HttpOnly/i);
    const res = await s.api(`/s/${share.id}/download`, { headers: { cookie } });
    expect(res.status).toBe(302);
  });

  it("sends a browser that follows a dead download link to the share's page, and an API client a JSON 410", async () => {
    const fileId = await s.upload(admin, 'gone.txt', 'soon gone');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token: admin, json: { fileIds: [fileId] } })
    ).json()) as Json;
    await s.api(`/api/shares/${share.id}`, { method: 'DELETE', token: admin });
    const browser = await s.api(`/s/${share.id}/download`, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(browser.status).toBe(303);
    expect(browser.headers.get('location')).toBe(`/s/${share.id}`);
    expect((await s.api(`/s/${share.id}/download`)).status).toBe(410);
  });

  it('serves the OpenAPI document', async () => {
    const doc = (await (await s.api('/api/openapi.json')).json()) as Json;
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toContain('/api/shares/{id}/downloads');
  });
});
