import { describe, expect, it, vi } from 'vitest';
import { loadAuthConfig, parseAuthConfig, type AuthConfig } from '../../src/web/lib/oauth-config.ts';
import {
  OAuthError,
  authorizeUrl,
  codeChallengeS256,
  codeFromCallback,
  logoutUrl,
  newPendingSignIn,
  randomToken,
  safeNext,
} from '../../src/web/lib/oauth-pkce.ts';
import { checkIdToken, decodeClaims } from '../../src/web/lib/oauth-tokens.ts';

const ORIGIN = 'https://d111.cloudfront.net';
const config: AuthConfig = {
  hostedUiBaseUrl: 'https://cairn-1.auth.eu-west-1.amazoncognito.com',
  clientId: 'client123',
  issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Pool',
  callbackPath: '/auth/callback',
  signInPath: '/auth/sign-in',
  sessionCookieName: 'cairn_session',
  scope: 'openid email profile',
};

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jwt = (claims: Record<string, unknown>) => `${b64url({ alg: 'RS256' })}.${b64url(claims)}.c2ln`;
const NOW = 1_800_000_000_000;
const goodId = { iss: config.issuer, aud: 'client123', token_use: 'id', exp: NOW / 1000 + 3600, nonce: 'n1' };

describe('PKCE (RFC 7636, S256)', () => {
  it("derives the RFC's own example challenge from its verifier", async () => {
    expect(await codeChallengeS256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe(
      'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
    );
  });

  it('makes verifiers, states and nonces of 256 random bits, base64url, never the same twice', () => {
    const tokens = Array.from({ length: 200 }, randomToken);
    for (const t of tokens) expect(t).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(new Set(tokens).size).toBe(200);
  });

  it('asks the hosted UI for a code with the S256 challenge, state, nonce and the callback URL', async () => {
    const pending = newPendingSignIn('/shares', ORIGIN);
    const url = new URL(await authorizeUrl(config, pending, ORIGIN));
    expect(url.origin + url.pathname).toBe('https://cairn-1.auth.eu-west-1.amazoncognito.com/oauth2/authorize');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: 'client123',
      redirect_uri: 'https://d111.cloudfront.net/auth/callback',
      scope: 'openid email profile',
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await codeChallengeS256(pending.verifier),
      code_challenge_method: 'S256',
    });
    expect(new Set([pending.state, pending.verifier, pending.nonce]).size).toBe(3);
  });

  it("signs out through the hosted UI's /logout, back to the origin's root (a registered logout URL)", () => {
    expect(logoutUrl(config, ORIGIN)).toBe(
      'https://cairn-1.auth.eu-west-1.amazoncognito.com/logout?client_id=client123&logout_uri=https%3A%2F%2Fd111.cloudfront.net%2F',
    );
  });
});

describe('the callback', () => {
  const pending = { state: 'S1', verifier: 'v', nonce: 'n', next: '/shares' };

  it('takes the code when the state is the one this browser sent', () => {
    expect(codeFromCallback('?code=abc&state=S1', pending)).toBe('abc');
  });

  it('refuses another state, even with an error answer, and a callback no sign-in started', () => {
    const refused = (search: string, p: typeof pending | null) => {
      try {
        codeFromCallback(search, p);
      } catch (e) {
        expect(e).toBeInstanceOf(OAuthError);
        return (e as OAuthError).code;
      }
      return 'accepted';
    };
    expect(refused('?code=abc&state=S2', pending)).toBe('state_mismatch');
    expect(refused('?code=abc', pending)).toBe('state_mismatch');
    expect(refused('?error=access_denied&state=forged', pending)).toBe('state_mismatch');
    expect(refused('?code=abc&state=S1', null)).toBe('no_pending_sign_in');
    expect(refused('?state=S1', pending)).toBe('invalid_request');
  });

  it("turns the hosted UI's error answer into a readable message", () => {
    expect(() => codeFromCallback('?error=access_denied&error_description=User+is+disabled&state=S1', pending)).toThrow(
      'Sign-in failed: User is disabled.',
    );
  });

  it('goes back only to a page of this site', () => {
    const cases: [string | null, string][] = [
      ['/shares?cursor=x#top', '/shares?cursor=x#top'],
      ['/received', '/received'],
      ['https://evil.example/phish', '/'],
      ['//evil.example/phish', '/'],
      ['/\\evil.example', '/'],
      ['javascript:alert(1)', '/'],
      ['/auth/callback?code=x', '/'],
      ['', '/'],
      [null, '/'],
    ];
    for (const [next, expected] of cases) expect(safeNext(next, ORIGIN), String(next)).toBe(expected);
  });
});

describe('the ID token checks (OpenID Connect Core §3.1.3.7)', () => {
  const check = (claims: Record<string, unknown>, nonce?: string) => () =>
    checkIdToken(jwt(claims), { config, nowMs: NOW, nonce });

  it("accepts this pool's unexpired ID token for this client and nonce", () => {
    expect(check(goodId, 'n1')()).toMatchObject({ iss: config.issuer });
  });

  it('refuses another issuer, another client, an access token, an expired token and another nonce', () => {
    expect(check({ ...goodId, iss: 'https://cognito-idp.eu-west-1.amazonaws.com/other' }, 'n1')).toThrow(
      /another issuer/,
    );
    expect(check({ ...goodId, aud: 'other' }, 'n1')).toThrow(/another client/);
    expect(check({ ...goodId, aud: ['client123', 'other'] }, 'n1')).toThrow(/authorized party/);
    expect(check({ ...goodId, token_use: 'access' }, 'n1')).toThrow(/not an ID token/);
    expect(check({ ...goodId, exp: NOW / 1000 }, 'n1')).toThrow(/expired/);
    expect(check(goodId, 'n2')).toThrow(/nonce/);
    expect(() => checkIdToken('garbage', { config, nowMs: NOW })).toThrow(/not a JWT/);
  });

  it('does not ask for a nonce on refreshed tokens, which carry none', () => {
    const { nonce: _nonce, ...refreshed } = goodId;
    expect(check(refreshed)()).toMatchObject({ token_use: 'id' });
  });

  it('decodes base64url payloads with multi-byte characters and rejects what is not a JWT', () => {
    expect(decodeClaims(jwt({ name: 'Zoë 東京' }))).toEqual({ name: 'Zoë 東京' });
    expect(decodeClaims('a.b')).toBeNull();
    expect(decodeClaims('a.%%%.c')).toBeNull();
    expect(decodeClaims(`a.${Buffer.from('"str"').toString('base64url')}.c`)).toBeNull();
  });
});

describe('config.json', () => {
  const written = {
    region: 'eu-west-1',
    userPoolId: 'eu-west-1_Pool',
    clientId: 'client123',
    hostedUiBaseUrl: 'https://cairn-1.auth.eu-west-1.amazoncognito.com/',
    issuer: config.issuer,
    scope: 'openid email profile',
    signInPath: '/auth/sign-in',
    callbackPath: '/auth/callback',
    sessionCookieName: 'cairn_session',
  };

  it('turns on Cognito mode with the keys the CDK app writes', () => {
    expect(parseAuthConfig(written)).toEqual(config);
  });

  it('means local mode when it names no client', () => {
    expect(parseAuthConfig({})).toBeNull();
    expect(parseAuthConfig('<!doctype html>')).toBeNull();
  });

  it('names every missing key of a broken deployment', () => {
    const { issuer: _i, callbackPath: _c, ...broken } = written;
    expect(() => parseAuthConfig(broken)).toThrow('config.json is missing issuer, callbackPath');
  });

  it('refuses a plain-http hosted UI except on this machine', () => {
    expect(() => parseAuthConfig({ ...written, hostedUiBaseUrl: 'http://auth.example.com' })).toThrow(/https/);
    expect(parseAuthConfig({ ...written, hostedUiBaseUrl: 'http://127.0.0.1:9999' })?.hostedUiBaseUrl).toBe(
      'http://127.0.0.1:9999',
    );
  });

  it('is read from /config.json: absent or HTML means local mode, an unreachable server is an error', async () => {
    const answer = (res: Response) => vi.fn(async () => res) as unknown as typeof fetch;
    expect(await loadAuthConfig(answer(new Response('nope', { status: 404 })))).toBeNull();
    expect(await loadAuthConfig(answer(new Response('<!doctype html>', { status: 200 })))).toBeNull();
    expect(await loadAuthConfig(answer(Response.json(written)))).toEqual(config);
    const offline = vi.fn(async () => {
      throw new TypeError('fetch failed');
    }) as unknown as typeof fetch;
    await expect(loadAuthConfig(offline)).rejects.toThrow(/Cannot reach the server/);
  });
});
