/**
 * The sign-in flow of src/web/lib/oauth-session.ts in Node, against the stand-in for Cognito's hosted
 * UI and token endpoint (test/e2e/fake-cognito.ts: no Cognito emulator exists). The browser's parts
 * (sessionStorage, document.cookie, location, timers) are plain in-memory stand-ins.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthConfig } from '../../src/web/lib/oauth-config.ts';
import { OAuthError } from '../../src/web/lib/oauth-pkce.ts';
import { CognitoSession, type BrowserPort } from '../../src/web/lib/oauth-session.ts';
import { startFakeCognito, type FakeCognito } from '../e2e/fake-cognito.ts';

const ORIGIN = 'https://cairn.example.com';

function browser(start = Date.now()) {
  const store = new Map<string, string>();
  const b = {
    clock: start,
    cookies: [] as string[],
    visited: [] as string[],
    timers: [] as { fn: () => void; ms: number; cleared: boolean }[],
  };
  const port: BrowserPort = {
    storage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
      removeItem: (k) => void store.delete(k),
    },
    writeCookie: (c) => void b.cookies.push(c),
    origin: ORIGIN,
    go: (url) => void b.visited.push(url),
    now: () => b.clock,
    fetch: (...args) => fetch(...args),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      b.timers.push(t);
      return t;
    },
    clearTimer: (t) => void ((t as { cleared: boolean }).cleared = true),
  };
  return { port, store, state: b };
}

describe('a Cognito session in the browser', () => {
  let cognito: FakeCognito;
  let config: AuthConfig;

  beforeAll(async () => {
    cognito = await startFakeCognito();
    cognito.allowOrigin(ORIGIN);
    config = {
      hostedUiBaseUrl: cognito.url,
      clientId: cognito.clientId,
      issuer: cognito.issuer,
      callbackPath: '/auth/callback',
      signInPath: '/auth/sign-in',
      sessionCookieName: 'cairn_session',
      scope: 'openid email profile',
    };
  });
  afterAll(() => cognito?.close());

  /** Follows the hosted UI's redirect the way a browser would; returns the callback's query string. */
  async function hostedUi(url: string): Promise<string> {
    const res = await fetch(url, { redirect: 'manual' });
    expect(res.status).toBe(302);
    const back = new URL(res.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${ORIGIN}/auth/callback`);
    return back.search;
  }

  async function signedIn(next = '/shares') {
    const b = browser();
    const session = new CognitoSession(config, b.port);
    await session.startSignIn(next);
    const search = await hostedUi(b.state.visited.at(-1)!);
    return { b, session, search, next: await session.completeSignIn(search) };
  }

  it('exchanges the code with its verifier, keeps the tokens and writes the ID token to the session cookie', async () => {
    const { b, session, next } = await signedIn('/received?x=1');
    expect(next).toBe('/received?x=1');
    const tokens = session.tokens!;
    expect(cognito.verifyAccessToken(tokens.accessToken)).toMatchObject({ token_use: 'access' });
    expect(tokens.refreshToken).toMatch(/^[0-9a-f]{48}$/);
    // Max-Age is the ID token's remaining life (its exp is in whole seconds).
    expect(b.state.cookies.at(-1)).toMatch(
      new RegExp(`^cairn_session=${tokens.idToken}; Path=/; Max-Age=(3599|3600); Secure; SameSite=Lax$`),
    );
    expect(await session.accessToken()).toBe(tokens.accessToken);
    // The refresh is due a minute before the access token expires.
    expect(b.state.timers.at(-1)!.ms).toBe(3600_000 - 60_000);
  });

  it('accepts a callback once: the same answer again is refused', async () => {
    const { session, search } = await signedIn();
    await expect(session.completeSignIn(search)).rejects.toMatchObject({ code: 'no_pending_sign_in' });
  });

  it('refuses an answer with another state and never sends its code to the token endpoint', async () => {
    const b = browser();
    const session = new CognitoSession(config, b.port);
    await session.startSignIn('/');
    const search = new URLSearchParams(await hostedUi(b.state.visited.at(-1)!));
    search.set('state', 'forged');
    const before = cognito.requests.length;
    await expect(session.completeSignIn(`?${search}`)).rejects.toMatchObject({ code: 'state_mismatch' });
    expect(cognito.requests.slice(before)).toEqual([]);
    expect(session.tokens).toBeNull();
  });

  it('fails the exchange when the verifier is not the one the challenge was made from', async () => {
    const b = browser();
    const session = new CognitoSession(config, b.port);
    await session.startSignIn('/');
    const pending = JSON.parse(b.store.get('cairn.oauth.pending')!);
    b.store.set('cairn.oauth.pending', JSON.stringify({ ...pending, verifier: 'x'.repeat(43) }));
    const search = await hostedUi(b.state.visited.at(-1)!);
    const failure = await session.completeSignIn(search).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OAuthError);
    expect((failure as OAuthError).message).toMatch(/PKCE verification failed/);
  });

  it('refreshes shortly before expiry, once for concurrent callers, and rewrites the cookie', async () => {
    const { b, session } = await signedIn();
    const old = session.tokens!;
    b.state.clock = old.expiresAt - 30_000; // inside the last minute
    const before = cognito.requests.length;
    const [a, c] = await Promise.all([session.accessToken(), session.accessToken()]);
    expect(a).toBe(c);
    expect(a).not.toBe(old.accessToken);
    expect(cognito.requests.slice(before).map((r) => r.params.grant_type)).toEqual(['refresh_token']);
    expect(session.tokens!.refreshToken).toBe(old.refreshToken); // Cognito sends no new one without rotation
    expect(b.state.cookies.at(-1)).toContain(`cairn_session=${session.tokens!.idToken};`);
  });

  it('ends the session when the refresh token is refused, clearing the cookie', async () => {
    const b = browser();
    let lost = 0;
    const session = new CognitoSession(config, b.port, () => lost++);
    await session.startSignIn('/');
    await session.completeSignIn(await hostedUi(b.state.visited.at(-1)!));
    cognito.revokeEverything();
    b.state.clock = session.tokens!.expiresAt - 1000;
    expect(await session.accessToken()).toBeNull();
    expect(lost).toBe(1);
    expect(session.tokens).toBeNull();
    expect(b.state.cookies.at(-1)).toBe('cairn_session=; Path=/; Max-Age=0; Secure; SameSite=Lax');
  });

  it('keeps a still-valid session through a moment offline and tries the refresh again soon', async () => {
    const { b, session } = await signedIn();
    const tokens = session.tokens!;
    b.state.clock = tokens.expiresAt - 30_000;
    b.port.fetch = async () => {
      throw new TypeError('fetch failed');
    };
    expect(await session.accessToken()).toBe(tokens.accessToken);
    expect(session.tokens).toEqual(tokens);
    expect(b.state.timers.at(-1)).toMatchObject({ ms: 10_000, cleared: false });
    expect(b.state.timers.at(-2)!.cleared).toBe(true);
  });

  it('signs out: revokes the refresh token, clears the cookie, then ends the hosted UI session', async () => {
    const { b, session } = await signedIn();
    const { refreshToken, accessToken } = session.tokens!;
    await session.signOut();
    expect(cognito.requests.at(-1)).toMatchObject({ path: '/oauth2/revoke', params: { token: refreshToken } });
    expect(cognito.verifyAccessToken(accessToken)).toBeNull();
    expect(session.tokens).toBeNull();
    expect(b.state.cookies.at(-1)).toMatch(/^cairn_session=; .*Max-Age=0/);
    expect(b.state.visited.at(-1)).toBe(
      `${cognito.url}/logout?client_id=${cognito.clientId}&logout_uri=${encodeURIComponent(`${ORIGIN}/`)}`,
    );
  });

  it('starts sign-in by itself at most once in 30 seconds, so a refused session cannot loop', async () => {
    const b = browser();
    const session = new CognitoSession(config, b.port);
    expect(session.mayStartAutomatically()).toBe(true);
    await session.startSignIn('/shares', true);
    expect(session.mayStartAutomatically()).toBe(false);
    b.state.clock += 31_000;
    expect(session.mayStartAutomatically()).toBe(true);
  });
});
