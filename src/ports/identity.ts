/**
 * Identity: who is signed in, and the user pool for the recipient picker.
 * Local: users in SQLite, scrypt hashes, JWTs signed with jose. AWS: Cognito (aws-jwt-verify, ListUsers).
 */
export interface Principal {
  username: string;
  displayName: string;
  admin: boolean;
}

export interface UserSummary {
  username: string;
  displayName: string;
}

export interface SessionToken {
  token: string;
  expiresAt: Date;
}

export interface Identity {
  /** Verifies a session token; null when invalid, expired or the user is gone. */
  verify(token: string): Promise<Principal | null>;
  /** Users whose username or display name starts with `prefix` (case-insensitive), at most `limit`. */
  findUsers(prefix: string, limit: number): Promise<UserSummary[]>;
  getUser(username: string): Promise<UserSummary | null>;
}

/** Sign-in with a password, where the runtime owns it (locally; Cognito's hosted UI does it on AWS). */
export interface PasswordSignIn {
  signIn(username: string, password: string): Promise<{ principal: Principal; session: SessionToken }>;
}
