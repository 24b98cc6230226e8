import { describe, expect, it } from 'vitest';
import { edgeAuthCode } from '../lib/constructs/private/edge-auth.ts';

const ISSUER = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_TEST';
const handler = new Function(
  `${edgeAuthCode({ issuer: ISSUER, cookieName: 'cairn_session', signInPath: '/auth/sign-in', publicPrefixes: ['/auth/', '/s/', '/assets/'] })}; return handler;`,
)() as (event: unknown) => any;

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const token = (claims: Record<string, unknown>) =>
  `${b64url({ alg: 'RS256', kid: 'k' })}.${b64url(claims)}.c2lnbmF0dXJl`;
const now = () => Math.floor(Date.now() / 1000);
const request = (uri: string, cookie?: string) => ({
  request: {
    uri,
    method: 'GET',
    querystring: {},
    headers: {},
    cookies: cookie ? { cairn_session: { value: cookie } } : {},
  },
});

describe('the edge session check (CloudFront Function)', () => {
  it('sends a visitor without a session to sign in, remembering the page', () => {
    const r = handler(request('/shares'));
    expect(r.statusCode).toBe(302);
    expect(r.headers.location.value).toBe('/auth/sign-in?next=%2Fshares');
    expect(r.headers['cache-control'].value).toBe('no-store');
  });

  it('serves the SPA to a visitor whose Cognito ID token is unexpired and from the pool', () => {
    const r = handler(request('/shares', token({ iss: ISSUER, token_use: 'id', exp: now() + 600 })));
    expect(r.uri).toBe('/index.html');
  });

  it('refuses an expired token, an access token, another issuer and garbage', () => {
    for (const cookie of [
      token({ iss: ISSUER, token_use: 'id', exp: now() - 1 }),
      token({ iss: ISSUER, token_use: 'access', exp: now() + 600 }),
      token({ iss: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_OTHER', token_use: 'id', exp: now() + 600 }),
      'not-a-jwt',
      'a.b%%%.c',
    ]) {
      expect(handler(request('/', cookie)).statusCode, cookie).toBe(302);
    }
  });

  it('lets anyone reach share pages, the sign-in pages and static assets', () => {
    expect(handler(request('/s/abc123')).uri).toBe('/index.html');
    expect(handler(request('/auth/callback')).uri).toBe('/index.html');
    expect(handler(request('/assets/app-1234.js')).uri).toBe('/assets/app-1234.js');
  });

  it('keeps file requests as they are and rewrites page routes to the SPA', () => {
    const ok = token({ iss: ISSUER, token_use: 'id', exp: now() + 600 });
    expect(handler(request('/favicon.svg', ok)).uri).toBe('/favicon.svg');
    expect(handler(request('/shares/received', ok)).uri).toBe('/index.html');
  });

  it("fits in CloudFront Functions' 10 KB code limit", () => {
    expect(
      Buffer.byteLength(edgeAuthCode({ issuer: ISSUER, cookieName: 'c', signInPath: '/a', publicPrefixes: ['/s/'] })),
    ).toBeLessThan(10_240);
  });
});
