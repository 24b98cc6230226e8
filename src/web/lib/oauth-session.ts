/**
 * A Cognito sign-in in this tab: starting it (to the hosted UI), finishing it (the callback), keeping
 * the tokens fresh, and ending it. The browser's parts come in through BrowserPort so the flow can be
 * tested in Node.
 *
 * Storage: the tokens live in sessionStorage (this tab only, gone when it closes; a reload keeps the
 * sign-in). The ID token is also written to the cookie the CloudFront edge function reads to let the
 * browser load the UI's pages; it cannot be HttpOnly because the SPA, not a server, receives it.
 */
import type { AuthConfig } from './oauth-config.ts';
import {
  authorizeUrl,
  codeFromCallback,
  logoutUrl,
  newPendingSignIn,
  redirectUri,
  type PendingSignIn,
} from './oauth-pkce.ts';
import { OAuthError } from './oauth-pkce.ts';
import { exchangeCode, refreshTokens, revokeRefreshToken, type TokenSet } from './oauth-tokens.ts';

export interface BrowserPort {
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;
  /** document.cookie = … */
  writeCookie(cookie: string): void;
  origin: string;
  /** Leaves the SPA for another URL (location.assign). */
  go(url: string): void;
  now(): number;
  fetch: typeof fetch;
  setTimer(fn: () => void, ms: number): unknown;
  clearTimer(handle: unknown): void;
}

export function windowPort(): BrowserPort {
  return {
    storage: window.sessionStorage,
    writeCookie: (cookie) => (document.cookie = cookie),
    origin: window.location.origin,
    go: (url) => window.location.assign(url),
    now: () => Date.now(),
    fetch: (...args) => fetch(...args),
    setTimer: (fn, ms) => setTimeout(fn, ms),
    clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  };
}

const PENDING = 'cairn.oauth.pending';
const TOKENS = 'cairn.oauth.tokens';
const AUTO_START = 'cairn.oauth.autoStartedAt';
/** At most one automatic restart of sign-in per this window: a 401 right after signing in is not a reason to loop. */
const AUTO_START_WINDOW_MS = 30_000;

function readJson<T>(storage: BrowserPort['storage'], key: string): T | null {
  try {
    const raw = storage.getItem(key);
    return raw ? (JSON.parse(raw) as T) : null;
  } catch {
    return null;
  }
}

export class CognitoSession {
  private timer: unknown = null;
  private refreshing: Promise<TokenSet | null> | null = null;

  constructor(
    readonly config: AuthConfig,
    private readonly browser: BrowserPort,
    /** Told when the session ended on its own (the refresh token expired or was revoked). */
    private readonly onLost: () => void = () => {},
  ) {
    if (this.tokens) this.scheduleRefresh(this.tokens);
  }

  get tokens(): TokenSet | null {
    return readJson<TokenSet>(this.browser.storage, TOKENS);
  }

  /** Leaves for the hosted UI; `next` is the page to come back to. */
  async startSignIn(next: string, automatic = false): Promise<void> {
    if (automatic) this.browser.storage.setItem(AUTO_START, String(this.browser.now()));
    const pending = newPendingSignIn(next, this.browser.origin);
    this.browser.storage.setItem(PENDING, JSON.stringify(pending));
    this.browser.go(await authorizeUrl(this.config, pending, this.browser.origin));
  }

  /** False right after an automatic restart, so a server that keeps refusing new tokens cannot cause a loop. */
  mayStartAutomatically(): boolean {
    const last = Number(this.browser.storage.getItem(AUTO_START) ?? 0);
    return this.browser.now() - last > AUTO_START_WINDOW_MS;
  }

  /** The callback page's work: checks the answer, exchanges the code; returns the page to go to. */
  async completeSignIn(search: string): Promise<string> {
    const pending = readJson<PendingSignIn>(this.browser.storage, PENDING);
    // One use, whatever the outcome: a code or state seen once is never accepted again.
    this.browser.storage.removeItem(PENDING);
    const code = codeFromCallback(search, pending);
    const tokens = await exchangeCode(
      this.config,
      {
        code,
        verifier: pending!.verifier,
        nonce: pending!.nonce,
        redirectUri: redirectUri(this.config, this.browser.origin),
      },
      this.browser.now(),
      this.browser.fetch,
    );
    this.store(tokens);
    return pending!.next;
  }

  /** The access token to send, refreshed first when it is about to expire; null when signed out. */
  async accessToken(): Promise<string | null> {
    const tokens = this.tokens;
    if (!tokens) return null;
    if (tokens.expiresAt - this.browser.now() > this.margin(tokens)) return tokens.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  /** Refreshes once even when several callers ask at the same time. */
  refresh(): Promise<TokenSet | null> {
    this.refreshing ??= this.doRefresh().finally(() => (this.refreshing = null));
    return this.refreshing;
  }

  private async doRefresh(): Promise<TokenSet | null> {
    const current = this.tokens;
    if (!current?.refreshToken) return null;
    try {
      const fresh = await refreshTokens(this.config, current.refreshToken, this.browser.now(), this.browser.fetch);
      this.store(fresh);
      return fresh;
    } catch (e) {
      if (e instanceof OAuthError && e.code === 'network') {
        // Offline for a moment: keep what still works and try again soon.
        const usable = current.expiresAt > this.browser.now();
        if (usable) this.refreshIn(10_000);
        return usable ? current : null;
      }
      this.clear();
      this.onLost();
      return null;
    }
  }

  /** Forgets the tokens and clears the cookie (the API refused them, or the user signs out). */
  clear(): void {
    if (this.timer !== null) this.browser.clearTimer(this.timer);
    this.timer = null;
    this.browser.storage.removeItem(TOKENS);
    this.browser.writeCookie(`${this.config.sessionCookieName}=; Path=/; Max-Age=0; Secure; SameSite=Lax`);
  }

  /** Revokes the refresh token, clears the tokens and the cookie, then ends the hosted UI's session. */
  async signOut(): Promise<void> {
    const refreshToken = this.tokens?.refreshToken;
    this.clear();
    if (refreshToken) await revokeRefreshToken(this.config, refreshToken, this.browser.fetch);
    this.browser.go(logoutUrl(this.config, this.browser.origin));
  }

  private store(tokens: TokenSet): void {
    this.browser.storage.setItem(TOKENS, JSON.stringify(tokens));
    const maxAge = Math.max(0, Math.floor((tokens.idTokenExpiresAt - this.browser.now()) / 1000));
    this.browser.writeCookie(
      `${this.config.sessionCookieName}=${tokens.idToken}; Path=/; Max-Age=${maxAge}; Secure; SameSite=Lax`,
    );
    this.scheduleRefresh(tokens);
  }

  /** Refresh this long before expiry: a minute, or half the lifetime of short-lived tokens. */
  private margin(tokens: TokenSet): number {
    return Math.min(60_000, (tokens.expiresAt - tokens.receivedAt) / 2);
  }

  private scheduleRefresh(tokens: TokenSet): void {
    this.refreshIn(Math.max(0, tokens.expiresAt - this.margin(tokens) - this.browser.now()));
  }

  private refreshIn(ms: number): void {
    if (this.timer !== null) this.browser.clearTimer(this.timer);
    this.timer = this.browser.setTimer(() => void this.refresh(), ms);
  }
}
