/**
 * The authorization request of OAuth 2.0's authorization code grant with PKCE (RFC 7636, S256), for
 * Cognito's hosted UI, and the checks on its answer.
 *
 * Hand-written on Web Crypto rather than a client library: no OAuth client is a dependency of this
 * project (oauth4webapi would fit; see the session report), and Cognito needs only four standard calls
 * — authorize, token, revoke, logout — whose security-relevant parts (S256 challenge, one-use state and
 * nonce, ID token claims) are small and unit-tested in test/web/oauth.test.ts.
 */
import type { AuthConfig } from './oauth-config.ts';

/** A sign-in that failed or was refused: `message` is fit to show a person. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  constructor(
    /** An OAuth error code (`access_denied`, `invalid_grant`) or one of ours (`state_mismatch`). */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const base64url = (bytes: Uint8Array) =>
  btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');

/** 256 random bits, base64url: 43 characters, a valid PKCE code verifier (RFC 7636 §4.1). */
export function randomToken(): string {
  return base64url(crypto.getRandomValues(new Uint8Array(32)));
}

/** BASE64URL(SHA-256(verifier)): the S256 code challenge (RFC 7636 §4.2). */
export async function codeChallengeS256(verifier: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/** What the browser keeps (in sessionStorage) between leaving for the hosted UI and coming back. */
export interface PendingSignIn {
  state: string;
  verifier: string;
  nonce: string;
  /** The page to land on afterwards (a same-origin path). */
  next: string;
}

export function newPendingSignIn(next: string, origin: string): PendingSignIn {
  return { state: randomToken(), verifier: randomToken(), nonce: randomToken(), next: safeNext(next, origin) };
}

export const redirectUri = (config: AuthConfig, origin: string) => `${origin}${config.callbackPath}`;

export async function authorizeUrl(config: AuthConfig, pending: PendingSignIn, origin: string): Promise<string> {
  const params = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(config, origin),
    scope: config.scope,
    state: pending.state,
    nonce: pending.nonce,
    code_challenge: await codeChallengeS256(pending.verifier),
    code_challenge_method: 'S256',
  });
  return `${config.hostedUiBaseUrl}/oauth2/authorize?${params.toString()}`;
}

/** Cognito's sign-out: ends the hosted UI's own session, then returns to one of the client's logout URLs. */
export function logoutUrl(config: AuthConfig, origin: string): string {
  const params = new URLSearchParams({ client_id: config.clientId, logout_uri: `${origin}/` });
  return `${config.hostedUiBaseUrl}/logout?${params.toString()}`;
}

/**
 * The code from the callback's query string, once the answer is known to belong to the request this
 * browser made: the state must be the one kept for it (else another site may be injecting its own
 * code — RFC 6749 §10.12), and an error answer is turned into a readable OAuthError.
 */
export function codeFromCallback(search: string, pending: PendingSignIn | null): string {
  const params = new URLSearchParams(search);
  if (!pending) {
    throw new OAuthError(
      'no_pending_sign_in',
      'This sign-in answer does not belong to a sign-in started in this tab (it was used already, or the tab changed). Sign in again.',
    );
  }
  if (params.get('state') !== pending.state) {
    throw new OAuthError(
      'state_mismatch',
      'The sign-in answer did not match the request this browser sent (state mismatch), so it was refused. Sign in again.',
    );
  }
  const error = params.get('error');
  if (error) {
    const description = params.get('error_description');
    throw new OAuthError(error, `Sign-in failed: ${description || error}.`);
  }
  const code = params.get('code');
  if (!code)
    throw new OAuthError('invalid_request', 'The sign-in answer carried no authorization code. Sign in again.');
  return code;
}

/** A same-origin path to go to after sign-in; anything else (another site, a protocol-relative URL) is '/'. */
export function safeNext(next: string | null | undefined, origin: string): string {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  try {
    const url = new URL(next, origin);
    if (url.origin !== origin || url.pathname.startsWith('/auth/')) return '/';
    return `${url.pathname}${url.search}${url.hash}`;
  } catch {
    return '/';
  }
}
