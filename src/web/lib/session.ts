import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { User } from './types.ts';

/** Who is signed in: `undefined` while the first /api/auth/me is in flight, `null` when nobody. */
export interface Session {
  user: User | null | undefined;
  /** Re-reads /api/auth/me (after signing in, say). */
  refresh(): Promise<User | null>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<Session>({
  user: undefined,
  refresh: async () => null,
  signOut: async () => {},
});

export const useSession = () => useContext(SessionContext);
