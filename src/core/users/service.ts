import type { Clock } from '../clock.ts';
import { conflict, invalid, notFound, unauthorized } from '../errors.ts';
import { randomId } from '../ids.ts';
import { type AttemptLimiter, takeBoth } from '../rate-limiter.ts';
import type { Principal, SessionToken } from '../../ports/identity.ts';
import type { PasswordHasher } from '../../ports/password-hasher.ts';
import type { PageRequest, UserRecord, UserRepository } from '../../ports/repositories.ts';

/** Issues and reads session tokens (JWTs locally). */
export interface SessionTokens {
  /** `version` ties the token to one incarnation of the account (see UserRecord.sessionVersion). */
  issue(principal: Principal, version: string): Promise<SessionToken>;
  /** The username and version in a valid, unexpired token; null otherwise. */
  read(token: string): Promise<{ username: string; version: string } | null>;
}

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const MIN_PASSWORD = 8;

export const toPrincipal = (u: UserRecord): Principal => ({
  username: u.username,
  displayName: u.displayName,
  admin: u.admin,
});

/**
 * The local user pool: accounts, password sign-in with brute-force limits (per account and per
 * address), and session verification that notices removed users at once.
 */
export class UserService {
  private dummyHash: Promise<string> | undefined;

  constructor(
    private readonly d: {
      users: UserRepository;
      hasher: PasswordHasher;
      tokens: SessionTokens;
      clock: Clock;
      accountLimiter: AttemptLimiter;
      addressLimiter: AttemptLimiter;
      /** Called after an account is removed (e.g. to revoke its shares). */
      onUserRemoved?: (username: string) => Promise<unknown>;
    },
  ) {}

  async addUser(input: {
    username: string;
    password: string;
    displayName?: string;
    admin?: boolean;
  }): Promise<Principal> {
    if (!USERNAME.test(input.username)) {
      throw invalid(
        'CAIRN_INVALID_USERNAME',
        'username: 1-64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit',
      );
    }
    if (input.password.length < MIN_PASSWORD)
      throw invalid('CAIRN_WEAK_PASSWORD', `password: must be at least ${MIN_PASSWORD} characters`);
    if (await this.d.users.get(input.username))
      throw conflict('CAIRN_USER_EXISTS', `user ${input.username} already exists`);
    const displayName =
      (input.displayName ?? input.username)
        .replace(/[\u0000-\u001f\u007f]/g, '')
        .trim()
        .slice(0, 128) || input.username;
    const record: UserRecord = {
      username: input.username,
      displayName,
      passwordHash: await this.d.hasher.hash(input.password),
      admin: input.admin ?? false,
      createdAt: this.d.clock.now(),
      sessionVersion: randomId(16),
    };
    await this.d.users.insert(record);
    return toPrincipal(record);
  }

  async removeUser(username: string): Promise<void> {
    const user = await this.d.users.get(username);
    if (!user || !(await this.d.users.remove(user.username)))
      throw notFound('CAIRN_USER_NOT_FOUND', `no user ${username}`);
    await this.d.onUserRemoved?.(user.username);
  }

  async setPassword(username: string, password: string): Promise<void> {
    if (password.length < MIN_PASSWORD)
      throw invalid('CAIRN_WEAK_PASSWORD', `password: must be at least ${MIN_PASSWORD} characters`);
    const user = await this.d.users.get(username);
    if (!user) throw notFound('CAIRN_USER_NOT_FOUND', `no user ${username}`);
    // A new session version ends every session signed in with the old password.
    await this.d.users.setPassword(user.username, await this.d.hasher.hash(password), randomId(16));
  }

  listUsers(page: PageRequest) {
    return this.d.users.list(page);
  }

  async signIn(
    username: unknown,
    password: unknown,
    ip: string,
  ): Promise<{ principal: Principal; session: SessionToken }> {
    if (
      typeof username !== 'string' ||
      typeof password !== 'string' ||
      username.length > 128 ||
      password.length > 1024
    ) {
      throw invalid('CAIRN_INVALID_REQUEST', 'username and password: give both as strings');
    }
    const accountKey = username.toLowerCase();
    await takeBoth(this.d.addressLimiter, ip, this.d.accountLimiter, accountKey);
    const user = await this.d.users.get(username);
    // Hash even for unknown users so response time does not reveal which usernames exist.
    const ok = await this.d.hasher.verify(password, user?.passwordHash ?? (await this.dummy()));
    if (!user || !ok) throw unauthorized('CAIRN_BAD_CREDENTIALS', 'Wrong username or password.');
    await Promise.all([this.d.addressLimiter.giveBack(ip), this.d.accountLimiter.reset(accountKey)]);
    const principal = toPrincipal(user);
    return { principal, session: await this.d.tokens.issue(principal, user.sessionVersion) };
  }

  async verify(token: string): Promise<Principal | null> {
    const claims = await this.d.tokens.read(token);
    if (!claims) return null;
    const user = await this.d.users.get(claims.username);
    // A removed-then-recreated account or a changed password has a new version: old tokens stop.
    return user && user.username === claims.username && user.sessionVersion === claims.version
      ? toPrincipal(user)
      : null;
  }

  private dummy() {
    this.dummyHash ??= this.d.hasher.hash('not-a-real-password-' + Math.random());
    return this.dummyHash;
  }
}
