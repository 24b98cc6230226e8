/**
 * The run-time configuration of the web UI. On AWS the CDK app writes /config.json next to the bundle
 * (infra/lib/constructs/secure-file-sharing.ts): Cognito's hosted UI signs people in. Locally there is
 * no such file and the server's own /api/auth signs them in.
 */

/** Cognito mode's settings: the keys of config.json that the SPA reads. */
export interface AuthConfig {
  /** e.g. https://cairn-123.auth.eu-west-1.amazoncognito.com (no trailing slash). */
  hostedUiBaseUrl: string;
  clientId: string;
  /** https://cognito-idp.<region>.amazonaws.com/<poolId>: the `iss` of the pool's tokens. */
  issuer: string;
  /** The SPA's callback path, registered as `<origin><callbackPath>` on the app client. */
  callbackPath: string;
  /** Where the edge function sends signed-out visitors (with ?next=). */
  signInPath: string;
  /** The cookie the edge function reads: it holds the ID token. */
  sessionCookieName: string;
  /** Space-separated OAuth scopes the app client allows. */
  scope: string;
}

const REQUIRED = ['hostedUiBaseUrl', 'clientId', 'issuer', 'callbackPath', 'signInPath', 'sessionCookieName'] as const;

/**
 * null when the JSON holds no client id (local mode). A config.json that names a client but lacks
 * another key is a broken deployment: say which key, rather than fall back to a sign-in form that
 * cannot work there.
 */
export function parseAuthConfig(json: unknown): AuthConfig | null {
  if (typeof json !== 'object' || json === null) return null;
  const o = json as Record<string, unknown>;
  if (o.clientId === undefined) return null;
  const missing = REQUIRED.filter((k) => typeof o[k] !== 'string' || o[k] === '');
  if (missing.length > 0) {
    throw new Error(`config.json is missing ${missing.join(', ')}: redeploy the web UI (npm run deploy).`);
  }
  const url = String(o.hostedUiBaseUrl).replace(/\/+$/, '');
  if (!/^https:\/\//.test(url) && !isLoopbackUrl(url)) {
    throw new Error(`config.json: hostedUiBaseUrl must be an https:// URL, not ${url}.`);
  }
  return {
    hostedUiBaseUrl: url,
    clientId: String(o.clientId),
    issuer: String(o.issuer),
    callbackPath: String(o.callbackPath),
    signInPath: String(o.signInPath),
    sessionCookieName: String(o.sessionCookieName),
    scope: typeof o.scope === 'string' && o.scope ? o.scope : 'openid email profile',
  };
}

/** Plain http is allowed only on this machine (the local stand-in for Cognito in the browser tests). */
function isLoopbackUrl(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === 'localhost' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** Reads /config.json: absent (404), or not JSON (a dev server's HTML fallback), means local mode. */
export async function loadAuthConfig(fetchFn: typeof fetch = fetch): Promise<AuthConfig | null> {
  let res: Response;
  try {
    res = await fetchFn('/config.json', { cache: 'no-store', headers: { accept: 'application/json' } });
  } catch {
    // Not local mode: the server itself is out of reach, and guessing a mode would show the wrong form.
    throw new Error('Cannot reach the server. Check your connection and reload the page.');
  }
  if (!res.ok) return null;
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    return null;
  }
  return parseAuthConfig(json);
}
