import { createContext } from 'preact';
import { useCallback, useContext, useEffect, useMemo, useState } from 'preact/hooks';
import { ApiError, api, messageOf, setAccessTokenProvider, setSessionLostHandler } from './api.ts';
import { loadAuthConfig } from './oauth-config.ts';
import { CognitoSession, windowPort } from './oauth-session.ts';
import { navigate } from './router.ts';
import type { User } from './types.ts';

/**
 * 'local': the server's own sign-in form (/api/auth). 'cognito': the hosted UI with PKCE, chosen when
 * the CDK app deployed a /config.json naming a user pool client.
 */
export type AuthMode = 'local' | 'cognito';

/** Who is signed in: `undefined` while the first /api/auth/me is in flight, `null` when nobody. */
export interface Session {
  user: User | null | undefined;
  /** undefined until /config.json has been read. */
  mode: AuthMode | undefined;
  /** Why signing in cannot work right now (a broken config.json, say): shown on the sign-in page. */
  error: string | null;
  /** Cognito mode: the SPA's own sign-in and callback paths (the edge function lets them through). */
  authPaths: { signIn: string; callback: string } | null;
  /** Re-reads /api/auth/me (after signing in, say). */
  refresh(): Promise<User | null>;
  /** Cognito mode: leaves for the hosted UI, to come back to `next` (a same-origin path). */
  signIn(next: string, options?: { automatic?: boolean }): Promise<void>;
  /** Cognito mode: false right after an automatic sign-in, so a refused session cannot loop. */
  mayStartAutomatically(): boolean;
  /** Cognito mode: the callback page's work; returns the page to go to. */
  completeSignIn(search: string): Promise<string>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session>({
  user: undefined,
  mode: undefined,
  error: null,
  authPaths: null,
  refresh: async () => null,
  signIn: async () => {},
  mayStartAutomatically: () => false,
  completeSignIn: async () => '/',
  signOut: async () => {},
});

export const useSession = () => useContext(SessionContext);

let booting: Promise<CognitoSession | null> | null = null;

/** Reads /config.json once per page load; in Cognito mode, API calls then carry the access token. */
function boot(onLost: () => void): Promise<CognitoSession | null> {
  booting ??= loadAuthConfig().then((config) => {
    if (!config) return null;
    const cognito = new CognitoSession(config, windowPort(), onLost);
    setAccessTokenProvider(() => cognito.accessToken());
    return cognito;
  });
  return booting;
}

/** The session state the App provides to every page. */
export function useSessionState(): Session {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [cognito, setCognito] = useState<CognitoSession | null | undefined>(undefined);
  const [error, setError] = useState<string | null>(null);
  const lost = useCallback(() => setUser(null), []);

  const refresh = useCallback(async () => {
    let c: CognitoSession | null;
    try {
      c = await boot(lost);
      setCognito(c);
    } catch (e) {
      setError(messageOf(e));
      setUser(null);
      return null;
    }
    if (c && !c.tokens) {
      setUser(null);
      return null;
    }
    try {
      const me = await api.me();
      setUser(me);
      return me;
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        c?.clear(); // the API refused these tokens: sign in afresh
        setUser(null);
        return null;
      }
      setUser((prev) => prev ?? null);
      throw e;
    }
  }, [lost]);

  const signIn = useCallback(
    async (next: string, options: { automatic?: boolean } = {}) => {
      const c = await boot(lost);
      if (c) await c.startSignIn(next, options.automatic);
    },
    [lost],
  );

  const completeSignIn = useCallback(
    async (search: string) => {
      const c = await boot(lost);
      if (!c) return '/';
      return c.completeSignIn(search);
    },
    [lost],
  );

  const signOut = useCallback(async () => {
    const c = await boot(lost);
    if (c) return c.signOut();
    try {
      await api.logout();
    } finally {
      setUser(null);
      navigate('/');
    }
  }, [lost]);

  useEffect(() => {
    refresh().catch(() => {});
    // A 401 from a signed-in call: the session expired or was revoked. The sign-in page then starts
    // Cognito's sign-in again (back to the same page), or shows the local form.
    setSessionLostHandler(() => {
      void boot(lost).then((c) => c?.clear());
      setUser(null);
    });
    return () => setSessionLostHandler(null);
  }, [refresh, lost]);

  return useMemo<Session>(
    () => ({
      user,
      mode: cognito === undefined ? undefined : cognito ? 'cognito' : 'local',
      error,
      authPaths: cognito ? { signIn: cognito.config.signInPath, callback: cognito.config.callbackPath } : null,
      refresh,
      signIn,
      mayStartAutomatically: () => cognito?.mayStartAutomatically() ?? false,
      completeSignIn,
      signOut,
    }),
    [user, cognito, error, refresh, signIn, completeSignIn, signOut],
  );
}
