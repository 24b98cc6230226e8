/**
 * Attacks on sessions: cross-site requests riding on the session cookie, forged client addresses in
 * the audit log, and forged, stale or orphaned session tokens.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShare, expectError, type Json } from '../helpers/http.ts';
import { ADMIN_PASSWORD, type TestServer, startTestServer } from '../helpers/server.ts';

const signIn = (s: TestServer, username: string, password: string, headers: Record<string, string> = {}) =>
  s.api('/api/auth/login', { method: 'POST', json: { username, password }, headers });

describe('cross-site request forgery', () => {
  let s: TestServer;
  let setCookie: string;
  let cookie: string;
  let token: string;
  let fileId: string;

  const countShares = async () =>
    ((await (await s.api('/api/shares', { headers: { cookie } })).json()) as Json).items.length as number;

  beforeAll(async () => {
    s = await startTestServer();
    const login = await signIn(s, 'admin', ADMIN_PASSWORD);
    setCookie = login.headers.get('set-cookie')!;
    cookie = setCookie.split(';')[0]!;
    token = await s.login();
    fileId = await s.upload(token, 'csrf.txt', 'target');
  });
  afterAll(() => s.stop());

  it('sets the session cookie HttpOnly, SameSite=Strict and Path=/', async () => {
    expect(setCookie).toMatch(/^cairn_session=[^;]+;/);
    const attributes = setCookie
      .split(';')
      .slice(1)
      .map((a) => a.trim().toLowerCase());
    expect(attributes).toContain('httponly');
    expect(attributes).toContain('samesite=strict');
    expect(attributes).toContain('path=/');
  });

  const refusals: [string, Record<string, string>][] = [
    ['with Origin: https://evil.example', { origin: 'https://evil.example' }],
    ['with neither Origin nor Sec-Fetch-Site', {}],
    ['with Sec-Fetch-Site: cross-site', { 'sec-fetch-site': 'cross-site' }],
    ['with Sec-Fetch-Site: same-site', { 'sec-fetch-site': 'same-site' }],
    ['with Origin: null', { origin: 'null' }],
  ];

  for (const [how, headers] of refusals) {
    it(`refuses a cookie-authenticated POST /api/shares and DELETE /api/shares/{id} ${how} with 403 CAIRN_CSRF, changing nothing`, async () => {
      const share = await createShare(s, token, { fileIds: [fileId] });
      const before = await countShares();

      const post = await s.api('/api/shares', {
        method: 'POST',
        json: { fileIds: [fileId] },
        headers: { ...headers, cookie },
      });
      await expectError(post, 403, 'CAIRN_CSRF');
      const del = await s.api(`/api/shares/${share.id}`, { method: 'DELETE', headers: { ...headers, cookie } });
      await expectError(del, 403, 'CAIRN_CSRF');

      expect(await countShares()).toBe(before);
      const after = (await (await s.api(`/api/shares/${share.id}`, { headers: { cookie } })).json()) as Json;
      expect(after.status).toBe('active');
    });
  }

  it("accepts a cookie-authenticated POST and DELETE from the server's own Origin", async () => {
    const before = await countShares();
    const post = await s.api('/api/shares', {
      method: 'POST',
      json: { fileIds: [fileId] },
      headers: { origin: s.url, cookie },
    });
    expect(post.status).toBe(201);
    const share = (await post.json()) as Json;
    expect(await countShares()).toBe(before + 1);
    const del = await s.api(`/api/shares/${share.id}`, { method: 'DELETE', headers: { origin: s.url, cookie } });
    expect(del.status).toBe(204);
  });

  it('accepts a cookie-authenticated POST with Sec-Fetch-Site: same-origin', async () => {
    const post = await s.api('/api/shares', {
      method: 'POST',
      json: { fileIds: [fileId] },
      headers: { 'sec-fetch-site': 'same-origin', cookie },
    });
    expect(post.status).toBe(201);
  });

  it('needs no Origin for a request with a bearer token', async () => {
    const post = await s.api('/api/shares', { method: 'POST', token, json: { fileIds: [fileId] } });
    expect(post.status).toBe(201);
    const share = (await post.json()) as Json;
    expect((await s.api(`/api/shares/${share.id}`, { method: 'DELETE', token })).status).toBe(204);
  });
});

describe('forwarded headers', () => {
  const auditedAddress = async (s: TestServer, forwardedFor: string) => {
    const token = await s.login();
    const fileId = await s.upload(token, 'audited.txt', 'who downloaded me?');
    const share = await createShare(s, token, { fileIds: [fileId] });
    const res = await s.api(`/s/${share.id}/download`, { headers: { 'x-forwarded-for': forwardedFor } });
    expect(res.status).toBe(302);
    const audit = (await (await s.api(`/api/shares/${share.id}/downloads`, { token })).json()) as Json;
    expect(audit.items).toHaveLength(1);
    return audit.items[0].ip as string;
  };

  it('ignores X-Forwarded-For by default: the audit log records the socket address', async () => {
    const s = await startTestServer();
    try {
      expect(await auditedAddress(s, '6.6.6.6')).toBe('127.0.0.1');
    } finally {
      await s.stop();
    }
  });

  it('records the last X-Forwarded-For hop when CAIRN_TRUST_PROXY=true', async () => {
    const s = await startTestServer({ CAIRN_TRUST_PROXY: 'true' });
    try {
      expect(await auditedAddress(s, '6.6.6.6, 10.1.2.3')).toBe('10.1.2.3');
    } finally {
      await s.stop();
    }
  });
});

describe('session tokens', () => {
  let s: TestServer;

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.stop());

  const me = (token: string) => s.api('/api/auth/me', { token });
  const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

  it('refuses a token whose signature was changed with 401', async () => {
    const token = await s.login();
    expect((await me(token)).status).toBe(200);
    const [header, payload, signature] = token.split('.') as [string, string, string];
    // The first character carries 6 whole bits of the MAC (the last one has unused bits).
    const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
    await expectError(await me(`${header}.${payload}.${flipped}`), 401, 'CAIRN_TOKEN_INVALID');
    // Through the cookie too: the forged session is simply not a session.
    await expectError(
      await s.api('/api/auth/me', { headers: { cookie: `cairn_session=${header}.${payload}.${flipped}` } }),
      401,
      'CAIRN_SIGN_IN_REQUIRED',
    );
  });

  it('refuses an unsigned token (alg: none) and a token whose claims were changed with 401', async () => {
    await s.services.users.addUser({ username: 'mallory', password: 'mallory-password' });
    const token = await s.login('mallory', 'mallory-password');
    const [, payload, signature] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Json;
    expect(claims.sub).toBe('mallory');
    const asAdmin = b64url({ ...claims, sub: 'admin' });

    await expectError(await me(`${b64url({ alg: 'none', typ: 'JWT' })}.${asAdmin}.`), 401, 'CAIRN_TOKEN_INVALID');
    await expectError(await me(`${b64url({ alg: 'none' })}.${payload}.`), 401, 'CAIRN_TOKEN_INVALID');
    await expectError(await me(`${token.split('.')[0]}.${asAdmin}.${signature}`), 401, 'CAIRN_TOKEN_INVALID');
    expect(((await (await me(token)).json()) as Json).username).toBe('mallory');
  });

  it('refuses the token of a removed user with 401', async () => {
    await s.services.users.addUser({ username: 'leaver', password: 'leaver-password' });
    const token = await s.login('leaver', 'leaver-password');
    expect((await me(token)).status).toBe(200);
    const removed = await s.api('/api/admin/users/leaver', { method: 'DELETE', token: await s.login() });
    expect(removed.status).toBe(204);
    await expectError(await me(token), 401, 'CAIRN_TOKEN_INVALID');
  });

  it('revokes the shares of a removed user, links and presigned URLs alike', async () => {
    const token = await s.addUser('departing', 'departing-password');
    const fileId = await s.upload(token, 'handover.txt', 'notes');
    const share = (await (
      await s.api('/api/shares', { method: 'POST', token, json: { fileIds: [fileId] } })
    ).json()) as Json;
    const location = (await s.api(`/s/${share.id}/download`)).headers.get('location')!;
    expect((await s.api('/api/admin/users/departing', { method: 'DELETE', token: await s.login() })).status).toBe(204);
    await expectError(await s.api(`/s/${share.id}/download`), 410, 'CAIRN_SHARE_REVOKED');
    expect((await fetch(location)).status).toBe(403);
  });

  it('refuses the token of a removed user after a new account takes the same name', async () => {
    await s.services.users.addUser({ username: 'reused', password: 'first-password' });
    const old = await s.login('reused', 'first-password');
    expect((await s.api('/api/admin/users/reused', { method: 'DELETE', token: await s.login() })).status).toBe(204);
    await s.services.users.addUser({ username: 'Reused', password: 'second-password' });
    await expectError(await me(old), 401, 'CAIRN_TOKEN_INVALID');
    expect((await me(await s.login('Reused', 'second-password'))).status).toBe(200);
  });

  it('ends every session of a user whose password changed', async () => {
    await s.services.users.addUser({ username: 'rotator', password: 'first-password' });
    const old = await s.login('rotator', 'first-password');
    await s.services.users.setPassword('rotator', 'second-password');
    await expectError(await me(old), 401, 'CAIRN_TOKEN_INVALID');
    expect((await me(await s.login('rotator', 'second-password'))).status).toBe(200);
  });

  it('refuses a session once auth.sessionTtl (12 h by default) has passed', async () => {
    const token = await s.login();
    s.clock.advance(12 * 3600 * 1000 - 1000);
    expect((await me(token)).status).toBe(200);
    s.clock.advance(1000);
    await expectError(await me(token), 401, 'CAIRN_TOKEN_INVALID');
  });
});
