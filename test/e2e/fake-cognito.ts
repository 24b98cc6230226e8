/**
 * A STAND-IN FOR AMAZON COGNITO (no Cognito emulator exists): a plain node:http server with the hosted
 * UI's OAuth 2.0 endpoints that the SPA uses, following Cognito's rules for a public app client:
 * - GET /oauth2/authorize: response_type=code only, a registered redirect_uri, PKCE with S256 required;
 *   it signs the test user in at once (no form) and redirects back with code and state;
 * - POST /oauth2/token: form-encoded, no client secret; the code is one use, bound to its redirect_uri,
 *   and the code_verifier must hash to the challenge; refresh_token grants return no new refresh token;
 * - POST /oauth2/revoke: revokes a refresh token and the access tokens issued with it;
 * - GET /logout: redirects to a registered logout_uri.
 * Tokens are HS256 JWTs with Cognito's claims (token_use, client_id / aud, cognito:username, nonce).
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_USER = { username: 'alice', email: 'alice@example.com', name: 'Alice Example' };

interface Grant {
  challenge: string;
  redirectUri: string;
  nonce: string | null;
  scope: string;
  expiresAt: number;
}

export interface FakeCognito {
  url: string;
  issuer: string;
  clientId: string;
  /** Every request, in order: method, path and query/form parameters. */
  readonly requests: { method: string; path: string; params: Record<string, string> }[];
  /** Token lifetime in seconds for the next tokens issued. */
  expiresIn: number;
  /** The next authorize answer carries another state than the one asked with (an injected answer). */
  tamperNextState: boolean;
  /** Registers an origin: `<origin>/auth/callback` as callback URL, `<origin>/` as logout URL. */
  allowOrigin(origin: string): void;
  /** The claims of a valid, unrevoked access token of this client; null otherwise (as the JWT authorizer). */
  verifyAccessToken(token: string): Record<string, unknown> | null;
  /** Revokes every token issued so far (an administrator signed the user out everywhere). */
  revokeEverything(): void;
  close(): Promise<void>;
}

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export async function startFakeCognito(clientId = 'fakeclient123'): Promise<FakeCognito> {
  const key = randomBytes(32);
  const issuer = 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_FakePool';
  const callbacks = new Set<string>();
  const logouts = new Set<string>();
  const codes = new Map<string, Grant>();
  const refreshTokens = new Map<string, { scope: string; revoked: boolean }>();
  const accessTokens = new Map<string, { refresh: string; revoked: boolean }>();

  const sign = (claims: Record<string, unknown>) => {
    const body = `${b64url(JSON.stringify({ alg: 'HS256', kid: 'fake' }))}.${b64url(JSON.stringify(claims))}`;
    return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
  };

  function issue(scope: string, nonce: string | null, refresh: string) {
    const now = Math.floor(Date.now() / 1000);
    const exp = now + fake.expiresIn;
    const jti = randomBytes(8).toString('hex');
    accessTokens.set(jti, { refresh, revoked: false });
    const access = sign({
      iss: issuer,
      sub: 'sub-alice',
      token_use: 'access',
      client_id: clientId,
      scope,
      username: FAKE_USER.username,
      jti,
      iat: now,
      exp,
    });
    const id = sign({
      iss: issuer,
      sub: 'sub-alice',
      aud: clientId,
      token_use: 'id',
      'cognito:username': FAKE_USER.username,
      email: FAKE_USER.email,
      name: FAKE_USER.name,
      ...(nonce ? { nonce } : {}),
      auth_time: now,
      iat: now,
      exp,
    });
    return { access_token: access, id_token: id, token_type: 'Bearer', expires_in: fake.expiresIn };
  }

  const json = (res: ServerResponse, origin: string | undefined, status: number, body: unknown) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      ...(origin ? { 'access-control-allow-origin': origin } : {}),
    });
    res.end(JSON.stringify(body));
  };

  async function readForm(req: IncomingMessage): Promise<URLSearchParams | null> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    if (!String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) return null;
    return new URLSearchParams(Buffer.concat(chunks).toString());
  }

  function authorize(q: URLSearchParams, res: ServerResponse) {
    const redirectUri = q.get('redirect_uri') ?? '';
    if (q.get('client_id') !== clientId || !callbacks.has(redirectUri)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('redirect_mismatch');
      return;
    }
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (state) back.searchParams.set('state', fake.tamperNextState ? 'forged-state' : state);
    fake.tamperNextState = false;
    const challenge = q.get('code_challenge') ?? '';
    const scopes = (q.get('scope') ?? '').split(' ');
    if (q.get('response_type') !== 'code') back.searchParams.set('error', 'unsupported_response_type');
    else if (q.get('code_challenge_method') !== 'S256' || !/^[A-Za-z0-9_-]{43}$/.test(challenge))
      back.searchParams.set('error', 'invalid_request');
    else if (!scopes.includes('openid') || scopes.some((s) => !['openid', 'email', 'profile'].includes(s)))
      back.searchParams.set('error', 'invalid_scope');
    else {
      const code = randomBytes(16).toString('hex');
      codes.set(code, {
        challenge,
        redirectUri,
        nonce: q.get('nonce'),
        scope: scopes.join(' '),
        expiresAt: Date.now() + 300_000,
      });
      back.searchParams.set('code', code);
    }
    res.writeHead(302, { location: back.toString() }).end();
  }

  function token(form: URLSearchParams, req: IncomingMessage, res: ServerResponse) {
    const origin = req.headers.origin;
    if (req.headers.authorization) return json(res, origin, 400, { error: 'invalid_client' }); // public client: no secret
    if (form.get('client_id') !== clientId) return json(res, origin, 400, { error: 'invalid_client' });
    if (form.get('grant_type') === 'authorization_code') {
      const code = form.get('code') ?? '';
      const grant = codes.get(code);
      codes.delete(code); // one use, whatever happens next
      const verifier = form.get('code_verifier') ?? '';
      if (!grant || grant.expiresAt < Date.now() || grant.redirectUri !== form.get('redirect_uri'))
        return json(res, origin, 400, { error: 'invalid_grant' });
      if (createHash('sha256').update(verifier).digest('base64url') !== grant.challenge)
        return json(res, origin, 400, { error: 'invalid_grant', error_description: 'PKCE verification failed' });
      const refresh = randomBytes(24).toString('hex');
      refreshTokens.set(refresh, { scope: grant.scope, revoked: false });
      return json(res, origin, 200, { ...issue(grant.scope, grant.nonce, refresh), refresh_token: refresh });
    }
    if (form.get('grant_type') === 'refresh_token') {
      const refresh = form.get('refresh_token') ?? '';
      const known = refreshTokens.get(refresh);
      if (!known || known.revoked) return json(res, origin, 400, { error: 'invalid_grant' });
      return json(res, origin, 200, issue(known.scope, null, refresh));
    }
    return json(res, origin, 400, { error: 'unsupported_grant_type' });
  }

  function revoke(form: URLSearchParams, req: IncomingMessage, res: ServerResponse) {
    const refresh = form.get('token') ?? '';
    const known = refreshTokens.get(refresh);
    if (form.get('client_id') !== clientId) return json(res, req.headers.origin, 400, { error: 'invalid_client' });
    if (known) known.revoked = true;
    for (const t of accessTokens.values()) if (t.refresh === refresh) t.revoked = true;
    res.writeHead(200, { 'access-control-allow-origin': req.headers.origin ?? '*' }).end();
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    void (async () => {
      if (req.method === 'GET' && (url.pathname === '/oauth2/authorize' || url.pathname === '/logout')) {
        fake.requests.push({ method: 'GET', path: url.pathname, params: Object.fromEntries(url.searchParams) });
        if (url.pathname === '/oauth2/authorize') return authorize(url.searchParams, res);
        const to = url.searchParams.get('logout_uri') ?? '';
        if (url.searchParams.get('client_id') !== clientId || !logouts.has(to))
          return void res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid logout_uri');
        return void res.writeHead(302, { location: to }).end();
      }
      if (req.method === 'POST' && (url.pathname === '/oauth2/token' || url.pathname === '/oauth2/revoke')) {
        const form = await readForm(req);
        fake.requests.push({ method: 'POST', path: url.pathname, params: Object.fromEntries(form ?? []) });
        if (!form) return json(res, req.headers.origin, 400, { error: 'invalid_request' });
        return url.pathname === '/oauth2/token' ? token(form, req, res) : revoke(form, req, res);
      }
      res.writeHead(404).end();
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const port = (server.address() as AddressInfo).port;

  const fake: FakeCognito = {
    url: `http://127.0.0.1:${port}`,
    issuer,
    clientId,
    requests: [],
    expiresIn: 3600,
    tamperNextState: false,
    allowOrigin(origin) {
      callbacks.add(`${origin}/auth/callback`);
      logouts.add(`${origin}/`);
    },
    verifyAccessToken(token) {
      const [head, body, sig] = token.split('.');
      if (!head || !body || !sig) return null;
      if (createHmac('sha256', key).update(`${head}.${body}`).digest('base64url') !== sig) return null;
      const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as Record<string, unknown>;
      const known = accessTokens.get(String(claims.jti));
      if (claims.iss !== issuer || claims.token_use !== 'access' || claims.client_id !== clientId) return null;
      if (!known || known.revoked || (claims.exp as number) * 1000 <= Date.now()) return null;
      return claims;
    },
    revokeEverything() {
      for (const t of accessTokens.values()) t.revoked = true;
      for (const t of refreshTokens.values()) t.revoked = true;
    },
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
  return fake;
}
