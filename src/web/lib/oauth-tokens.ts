/**
 * Cognito's token endpoint for a public client (no secret): the code exchange with its PKCE verifier,
 * the refresh, and revocation; plus the checks OpenID Connect asks of an ID token received straight
 * from the token endpoint over TLS (Core §3.1.3.7: iss, aud, exp, nonce — the TLS connection stands in
 * for the signature, which the API's JWT authorizer verifies on every call anyway).
 */
import type { AuthConfig } from './oauth-config.ts';
import { OAuthError } from './oauth-pkce.ts';

export interface TokenSet {
  /** Sent to the API as `Authorization: Bearer`. */
  accessToken: string;
  /** Written to the session cookie that the edge function checks. */
  idToken: string;
  refreshToken: string | null;
  /** When the tokens were received, and when the access token expires (epoch ms). */
  receivedAt: number;
  expiresAt: number;
  /** The ID token's `exp` (epoch ms): the cookie's lifetime. */
  idTokenExpiresAt: number;
}

/** The payload of a JWT, unverified; null when it is not one. */
export function decodeClaims(jwt: string): Record<string, unknown> | null {
  const part = jwt.split('.')[1];
  if (!part || jwt.split('.').length !== 3) return null;
  try {
    const b64 = part.replace(/-/g, '+').replace(/_/g, '/');
    const bytes = Uint8Array.from(atob(b64.padEnd(Math.ceil(b64.length / 4) * 4, '=')), (c) => c.charCodeAt(0));
    const claims: unknown = JSON.parse(new TextDecoder().decode(bytes));
    return typeof claims === 'object' && claims !== null ? (claims as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const invalid = (why: string) =>
  new OAuthError('invalid_id_token', `The sign-in service returned an ID token that ${why}. Sign in again.`);

/** Returns the ID token's claims once they are this pool's, for this client, unexpired, and (at sign-in) for this nonce. */
export function checkIdToken(
  idToken: string,
  expect: { config: AuthConfig; nowMs: number; nonce?: string },
): Record<string, unknown> {
  const claims = decodeClaims(idToken);
  if (!claims) throw invalid('is not a JWT');
  if (claims.iss !== expect.config.issuer) throw invalid(`comes from another issuer (${String(claims.iss)})`);
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.includes(expect.config.clientId)) throw invalid('was issued to another client');
  if (aud.length > 1 && claims.azp !== expect.config.clientId) throw invalid('names another authorized party');
  if (claims.token_use !== undefined && claims.token_use !== 'id') throw invalid('is not an ID token');
  if (typeof claims.exp !== 'number' || claims.exp * 1000 <= expect.nowMs) throw invalid('has expired');
  if (expect.nonce !== undefined && claims.nonce !== expect.nonce) throw invalid('does not carry the nonce sent');
  return claims;
}

type Fetch = typeof fetch;

async function tokenRequest(config: AuthConfig, form: Record<string, string>, fetchFn: Fetch) {
  let res: Response;
  try {
    res = await fetchFn(`${config.hostedUiBaseUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams(form).toString(),
    });
  } catch {
    throw new OAuthError('network', 'Cannot reach the sign-in service. Check your connection and try again.');
  }
  const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const code = typeof body.error === 'string' ? body.error : `http_${res.status}`;
    const why = typeof body.error_description === 'string' ? body.error_description : code;
    throw new OAuthError(code, `The sign-in service refused the request: ${why}.`);
  }
  if (typeof body.access_token !== 'string' || typeof body.id_token !== 'string') {
    throw new OAuthError('invalid_response', 'The sign-in service answered without tokens. Sign in again.');
  }
  if (typeof body.token_type === 'string' && body.token_type.toLowerCase() !== 'bearer') {
    throw new OAuthError('invalid_response', `The sign-in service returned a ${body.token_type} token, not Bearer.`);
  }
  return body as { access_token: string; id_token: string; refresh_token?: string; expires_in?: number };
}

function tokenSet(
  body: Awaited<ReturnType<typeof tokenRequest>>,
  claims: Record<string, unknown>,
  nowMs: number,
  previousRefresh: string | null,
): TokenSet {
  const lifetime = typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3600;
  return {
    accessToken: body.access_token,
    idToken: body.id_token,
    // Cognito sends a refresh token with the code exchange; a refresh returns a new one only when rotation is on.
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : previousRefresh,
    receivedAt: nowMs,
    expiresAt: nowMs + lifetime * 1000,
    idTokenExpiresAt: (claims.exp as number) * 1000,
  };
}

export async function exchangeCode(
  config: AuthConfig,
  grant: { code: string; verifier: string; redirectUri: string; nonce: string },
  nowMs: number,
  fetchFn: Fetch = fetch,
): Promise<TokenSet> {
  const body = await tokenRequest(
    config,
    {
      grant_type: 'authorization_code',
      client_id: config.clientId,
      code: grant.code,
      redirect_uri: grant.redirectUri,
      code_verifier: grant.verifier,
    },
    fetchFn,
  );
  const claims = checkIdToken(body.id_token, { config, nowMs, nonce: grant.nonce });
  return tokenSet(body, claims, nowMs, null);
}

export async function refreshTokens(
  config: AuthConfig,
  refreshToken: string,
  nowMs: number,
  fetchFn: Fetch = fetch,
): Promise<TokenSet> {
  const body = await tokenRequest(
    config,
    { grant_type: 'refresh_token', client_id: config.clientId, refresh_token: refreshToken },
    fetchFn,
  );
  const claims = checkIdToken(body.id_token, { config, nowMs });
  return tokenSet(body, claims, nowMs, refreshToken);
}

/** Revokes the refresh token (and the tokens issued with it) at sign-out; failures are not the user's concern. */
export async function revokeRefreshToken(config: AuthConfig, token: string, fetchFn: Fetch = fetch): Promise<void> {
  try {
    await fetchFn(`${config.hostedUiBaseUrl}/oauth2/revoke`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, client_id: config.clientId }).toString(),
    });
  } catch {
    // The hosted UI's /logout still ends the session; the refresh token expires on its own.
  }
}
