/**
 * Cognito sign-in (hosted UI, authorization code + PKCE) in a real browser, against a stand-in for
 * Cognito (test/e2e/fake-cognito.ts: no emulator exists) and a stand-in for CloudFront that runs the
 * real edge function (test/e2e/edge-site.ts).
 */
import { createHash } from 'node:crypto';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEdgeSite, type EdgeSite } from './edge-site.ts';
import { startFakeCognito, type FakeCognito } from './fake-cognito.ts';
import { ensureWebBuild, launchBrowser, openPage, shot } from './harness.ts';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
const s256 = (verifier: string) => createHash('sha256').update(verifier).digest('base64url');

describe('Cognito sign-in in the browser (against a stand-in for Cognito)', () => {
  let cognito: FakeCognito;
  let site: EdgeSite;
  let browser: Browser;
  let alice: { context: BrowserContext; page: Page; errors: string[] };

  beforeAll(async () => {
    ensureWebBuild();
    cognito = await startFakeCognito();
    site = await startEdgeSite(cognito);
    cognito.allowOrigin(site.url);
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await cognito?.close();
  });

  const since = (n: number) => cognito.requests.slice(n);
  const sessionCookie = async (context: BrowserContext) =>
    (await context.cookies()).find((c) => c.name === 'cairn_session');
  const storedTokens = async (page: Page) =>
    JSON.parse((await page.evaluate(() => sessionStorage.getItem('cairn.oauth.tokens'))) ?? 'null') as {
      accessToken: string;
      refreshToken: string;
    } | null;

  it('sends a signed-out visitor through the hosted UI and back to the page asked for', async () => {
    alice = await openPage(browser, site.url);
    const { context, page, errors } = alice;
    await page.goto('/received?view=all');
    await page.getByTestId('sign-in-hosted').waitFor();
    // The edge function sent the visitor to sign in, remembering the page and its query string.
    expect(new URL(page.url()).pathname).toBe('/auth/sign-in');
    expect(new URL(page.url()).searchParams.get('next')).toBe('/received?view=all');
    await shot(page, 'cognito-sign-in');

    const before = cognito.requests.length;
    await page.getByTestId('sign-in-hosted').click();
    await page.getByTestId('current-user').waitFor();
    expect(page.url()).toBe(`${site.url}/received?view=all`);
    expect(await page.getByTestId('current-user').textContent()).toBe('Alice Example');

    const [authorize, token, ...rest] = since(before);
    expect(rest).toEqual([]);
    expect(authorize).toMatchObject({
      path: '/oauth2/authorize',
      params: {
        response_type: 'code',
        client_id: cognito.clientId,
        redirect_uri: `${site.url}/auth/callback`,
        scope: 'openid email profile',
        code_challenge_method: 'S256',
      },
    });
    expect(authorize!.params.state).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({
      method: 'POST',
      path: '/oauth2/token',
      params: {
        grant_type: 'authorization_code',
        client_id: cognito.clientId,
        redirect_uri: `${site.url}/auth/callback`,
      },
    });
    expect(token!.params).not.toHaveProperty('client_secret');
    expect(s256(token!.params.code_verifier!)).toBe(authorize!.params.code_challenge);

    const cookie = await sessionCookie(context);
    expect(cookie).toMatchObject({ path: '/', secure: true, sameSite: 'Lax', httpOnly: false });
    expect(claimsOf(cookie!.value)).toMatchObject({
      token_use: 'id',
      iss: cognito.issuer,
      aud: cognito.clientId,
      nonce: authorize!.params.nonce,
    });
    expect(cookie!.expires - Date.now() / 1000).toBeGreaterThan(3500);
    expect(cookie!.expires - Date.now() / 1000).toBeLessThanOrEqual(3600);

    const received = site.apiCalls.filter((c) => c.path === '/api/shares/received');
    expect(received.map((c) => c.status)).toEqual([200]);
    const bearer = received[0]!.authorization!.replace(/^Bearer /, '');
    expect(cognito.verifyAccessToken(bearer)).toMatchObject({ token_use: 'access', username: 'alice' });
    expect(bearer).toBe((await storedTokens(page))!.accessToken);
    expect(errors).toEqual([]);
  });

  it('starts sign-in again when the API answers 401, and comes back to the page asked for', async () => {
    const { page } = alice;
    cognito.revokeEverything(); // say, an administrator signed Alice out everywhere
    const before = cognito.requests.length;
    const shares = () => site.apiCalls.filter((c) => c.path === '/api/shares');
    await page.getByTestId('nav-shares').click();
    await expect.poll(() => shares().map((c) => c.status), { timeout: 15_000 }).toEqual([401, 200]);
    await page.getByTestId('current-user').waitFor();
    expect(page.url()).toBe(`${site.url}/shares`);
    expect(since(before).map((r) => r.path)).toEqual(['/oauth2/authorize', '/oauth2/token']);
    expect(alice.errors).toEqual([]);
  });

  it('refuses an answer whose state does not match the request, without exchanging the code', async () => {
    const { context, page, errors } = await openPage(browser, site.url);
    await page.goto('/shares');
    await page.getByTestId('sign-in-hosted').waitFor();
    cognito.tamperNextState = true;
    const before = cognito.requests.length;
    await page.getByTestId('sign-in-hosted').click();
    const error = page.getByTestId('sign-in-error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/state mismatch/);
    await shot(page, 'cognito-state-mismatch');
    expect(since(before).map((r) => r.path)).toEqual(['/oauth2/authorize']); // no token request
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await storedTokens(page)).toBeNull();
    expect(page.url()).toBe(`${site.url}/auth/callback`); // the code is gone from the address bar
    expect(errors).toEqual([]);
    await context.close();
  });

  it('refreshes the tokens before they expire, keeping the cookie and the Bearer token current', async () => {
    cognito.expiresIn = 4;
    const { context, page, errors } = await openPage(browser, site.url);
    try {
      await page.goto('/shares');
      await page.getByTestId('sign-in-hosted').click();
      await page.getByTestId('current-user').waitFor();
      const first = (await sessionCookie(context))!.value;
      const firstAccess = (await storedTokens(page))!.accessToken;
      const refreshes = () => cognito.requests.filter((r) => r.params.grant_type === 'refresh_token');
      await expect.poll(() => refreshes().length, { timeout: 10_000 }).toBeGreaterThan(0);
      cognito.expiresIn = 3600;
      await expect.poll(async () => (await sessionCookie(context))?.value !== first, { timeout: 10_000 }).toBe(true);
      const access = (await storedTokens(page))!.accessToken;
      expect(access).not.toBe(firstAccess);
      await page.getByTestId('nav-received').click();
      await expect
        .poll(() => site.apiCalls.filter((c) => c.authorization?.endsWith(access) && c.status === 200).length)
        .toBeGreaterThan(0);
      expect(errors).toEqual([]);
    } finally {
      cognito.expiresIn = 3600;
      await context.close();
    }
  });

  it('sends a recipient who opens a share link through the hosted UI and back to the share', async () => {
    const { context, page, errors } = await openPage(browser, site.url);
    try {
      await page.goto('/s/sh_recipients');
      const signIn = page.getByTestId('landing-sign-in');
      await signIn.waitFor();
      expect(site.apiCalls.filter((c) => c.path === '/s/sh_recipients/info').map((c) => c.status)).toEqual([401]);
      const before = cognito.requests.length;
      await signIn.getByRole('button', { name: 'Sign in' }).click();
      await page.getByTestId('landing-share').waitFor();
      expect(page.url()).toBe(`${site.url}/s/sh_recipients`);
      expect(since(before).map((r) => r.path)).toEqual(['/oauth2/authorize', '/oauth2/token']);
      expect(await page.getByTestId('landing-share').textContent()).toContain('q3-report.pdf');
      const info = site.apiCalls.filter((c) => c.path === '/s/sh_recipients/info');
      expect(info.map((c) => c.status)).toEqual([401, 200]);
      expect(errors).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('signs out: revokes the refresh token, clears the cookie and ends the hosted UI session', async () => {
    const { context, page } = alice;
    const refreshToken = (await storedTokens(page))!.refreshToken;
    const before = cognito.requests.length;
    await page.getByTestId('sign-out').click();
    await page.getByTestId('sign-in-hosted').waitFor();
    expect(page.url()).toBe(`${site.url}/auth/sign-in?next=%2F`); // back at /, which the edge sent to sign in
    expect(since(before)).toEqual([
      { method: 'POST', path: '/oauth2/revoke', params: { token: refreshToken, client_id: cognito.clientId } },
      { method: 'GET', path: '/logout', params: { client_id: cognito.clientId, logout_uri: `${site.url}/` } },
    ]);
    expect(await sessionCookie(context)).toBeUndefined();
    expect(await storedTokens(page)).toBeNull();
    await page.goto('/shares');
    await page.getByTestId('sign-in-hosted').waitFor();
    expect(page.url()).toBe(`${site.url}/auth/sign-in?next=%2Fshares`);
    expect(alice.errors).toEqual([]);
  });
});
