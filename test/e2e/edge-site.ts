/**
 * The AWS deployment in miniature, for the Cognito sign-in browser test: one node:http server standing
 * in for CloudFront. It serves the built SPA (dist/web) and a config.json like the one the CDK app
 * writes, runs the real edge function (infra/lib/constructs/private/edge-auth.ts) on every UI request,
 * and answers /api/* as the HTTP API's JWT authorizer would: only with a valid Cognito access token
 * as `Authorization: Bearer` (checked by the fake Cognito that issued it).
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { edgeAuthCode } from '../../infra/lib/constructs/private/edge-auth.ts';
import { PUBLIC_PREFIXES, SIGN_IN_PATH } from '../../infra/lib/constructs/secure-file-sharing.ts';
import { FAKE_USER, type FakeCognito } from './fake-cognito.ts';
import { repoRoot } from './harness.ts';

const WEB_ROOT = join(repoRoot, 'dist/web');
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
};

type EdgeResult = { statusCode?: number; headers?: Record<string, { value: string }>; uri?: string };

export interface EdgeSite {
  url: string;
  /** Every /api request: its path and the Authorization header it carried. */
  readonly apiCalls: { path: string; authorization: string | undefined; status: number }[];
  close(): Promise<void>;
}

export async function startEdgeSite(cognito: FakeCognito): Promise<EdgeSite> {
  const edge = new Function(
    `${edgeAuthCode({ issuer: cognito.issuer, cookieName: 'cairn_session', signInPath: SIGN_IN_PATH, publicPrefixes: PUBLIC_PREFIXES })}; return handler;`,
  )() as (event: unknown) => EdgeResult;
  const apiCalls: EdgeSite['apiCalls'] = [];

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://site');
    void (async () => {
      if (url.pathname === '/config.json') {
        // The keys secure-file-sharing.ts writes (deployAssets), pointing at the fake.
        res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        return res.end(
          JSON.stringify({
            region: 'eu-west-1',
            userPoolId: 'eu-west-1_FakePool',
            clientId: cognito.clientId,
            hostedUiBaseUrl: cognito.url,
            issuer: cognito.issuer,
            scope: 'openid email profile',
            signInPath: '/auth/sign-in',
            callbackPath: '/auth/callback',
            sessionCookieName: 'cairn_session',
          }),
        );
      }
      // A recipients-only share's info, as the HTTP API answers it (CloudFront forwards /s/<id>/<action>).
      const shareInfo = /^\/s\/([^/]+)\/info$/.exec(url.pathname);
      if (shareInfo) {
        const authorization = req.headers.authorization;
        const claims = authorization?.startsWith('Bearer ') ? cognito.verifyAccessToken(authorization.slice(7)) : null;
        apiCalls.push({ path: url.pathname, authorization, status: claims ? 200 : 401 });
        res.writeHead(claims ? 200 : 401, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        if (!claims)
          return res.end(
            JSON.stringify({ error: { code: 'CAIRN_SIGN_IN_REQUIRED', message: 'Sign in to open this share.' } }),
          );
        return res.end(
          JSON.stringify({
            id: shareInfo[1],
            files: [{ id: 'f1', name: 'q3-report.pdf', size: 2048 }],
            expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
            requiresPassword: false,
            unlocked: false,
            requiresSignIn: true,
            ownerDisplayName: 'Bob Example',
          }),
        );
      }
      if (url.pathname.startsWith('/api/')) {
        const authorization = req.headers.authorization;
        const claims = authorization?.startsWith('Bearer ') ? cognito.verifyAccessToken(authorization.slice(7)) : null;
        const status = !claims
          ? 401
          : ['/api/auth/me', '/api/shares', '/api/shares/received'].includes(url.pathname)
            ? 200
            : 404;
        apiCalls.push({ path: url.pathname, authorization, status });
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        if (status === 401) return res.end(JSON.stringify({ message: 'Unauthorized' })); // API Gateway's own answer
        if (status === 404)
          return res.end(JSON.stringify({ error: { code: 'CAIRN_NOT_FOUND', message: 'No such route' } }));
        return res.end(
          JSON.stringify(
            url.pathname === '/api/auth/me'
              ? { username: FAKE_USER.username, displayName: FAKE_USER.name, admin: false }
              : { items: [], cursor: null },
          ),
        );
      }
      const cookies = Object.fromEntries(
        (req.headers.cookie ?? '')
          .split(';')
          .map((c) => c.trim().split('='))
          .filter(([name]) => name)
          .map(([name, ...value]) => [name, { value: value.join('=') }]),
      );
      const querystring: Record<string, { value: string }> = {};
      for (const part of url.search.slice(1).split('&').filter(Boolean)) {
        const [name, ...value] = part.split('=');
        querystring[name!] = { value: value.join('=') }; // as CloudFront: still percent-encoded
      }
      const result = edge({ request: { method: req.method, uri: url.pathname, querystring, headers: {}, cookies } });
      if (result.statusCode) {
        res.writeHead(
          result.statusCode,
          Object.fromEntries(Object.entries(result.headers ?? {}).map(([k, v]) => [k, v.value])),
        );
        return res.end();
      }
      const file = join(WEB_ROOT, normalize(result.uri ?? '/index.html'));
      const body = await readFile(file).catch(() => null);
      if (!body || !file.startsWith(WEB_ROOT)) return void res.writeHead(404).end();
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        // As strict as the local server's policy, plus the hosted UI's token endpoint (connect-src).
        'content-security-policy': `default-src 'self'; connect-src 'self' ${cognito.url}; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'`,
      });
      res.end(body);
    })().catch((e: unknown) => res.writeHead(500).end(String(e)));
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    apiCalls,
    close: () =>
      new Promise((ok) => {
        server.close(() => ok());
        server.closeAllConnections();
      }),
  };
}
