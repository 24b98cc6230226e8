/**
 * CognitoIdentity: the Identity port on a Cognito user pool. Cognito owns the users on AWS (sign-in is
 * the hosted UI with PKCE); Cairn only reads them.
 * - verify(): an ID or access token of the pool's app client, checked by aws-jwt-verify (signature
 *   against the pool's JWKS, issuer, audience/client_id, expiry, token_use). Like the local identity,
 *   a user removed or disabled since the token was issued is refused — checked with AdminGetUser, cached
 *   for `userCacheSeconds`. Admins are members of the `adminGroup` Cognito group.
 * - findUsers(): the recipient picker. ListUsers with a `filter` prefix search on username and on name
 *   (Cognito takes one filter per call), merged. ListUsers has a low account-wide quota, so searches are
 *   rate limited here (a token bucket per function instance) and answered from a short cache.
 */
import {
  AdminGetUserCommand,
  ListUsersCommand,
  type AttributeType,
  type CognitoIdentityProviderClient,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { systemClock, type Clock } from '../../core/clock.ts';
import { rateLimited } from '../../core/errors.ts';
import type { Identity, Principal, UserSummary } from '../../ports/identity.ts';
import { awsCall, sdkErrorName, translateAwsError } from './errors.ts';

export interface CognitoIdentityOptions {
  client: CognitoIdentityProviderClient;
  userPoolId: string;
  clientId: string;
  /** Members of this Cognito group are Cairn admins. */
  adminGroup?: string;
  clock?: Clock;
  /** Searches allowed per second (bucket refill) and at once (bucket size). */
  searchesPerSecond?: number;
  searchBurst?: number;
  userCacheSeconds?: number;
  /** Tests pass a verifier whose JWKS is cached; production fetches the pool's JWKS once. */
  verifier?: { verify(token: string): Promise<Record<string, unknown>> };
}

type CachedUser = { at: number; user: UserSummary | null };

const attribute = (attrs: AttributeType[] | undefined, name: string) => attrs?.find((a) => a.Name === name)?.Value;

/** Cognito's filter syntax: `attr ^= "value"`, with `"` and `\` escaped. */
const quote = (s: string) => `"${s.replace(/[\\"]/g, (c) => `\\${c}`)}"`;

export class CognitoIdentity implements Identity {
  private readonly verifier: { verify(token: string): Promise<Record<string, unknown>> };
  private readonly clock: Clock;
  private readonly users = new Map<string, CachedUser>();
  private readonly searches = new Map<string, { at: number; result: Promise<UserSummary[]> }>();
  private tokens: number;
  private refilledAt: number;

  constructor(private readonly o: CognitoIdentityOptions) {
    this.clock = o.clock ?? systemClock;
    this.verifier =
      o.verifier ?? CognitoJwtVerifier.create({ userPoolId: o.userPoolId, clientId: o.clientId, tokenUse: null });
    this.tokens = o.searchBurst ?? 10;
    this.refilledAt = this.clock.now().getTime();
  }

  async verify(token: string): Promise<Principal | null> {
    let claims: Record<string, unknown>;
    try {
      claims = await this.verifier.verify(token);
    } catch {
      return null; // expired, forged, another pool or client: all just "not signed in"
    }
    const username = (claims['cognito:username'] ?? claims.username) as string | undefined;
    if (typeof username !== 'string') return null;
    const user = await this.getUser(username);
    if (!user) return null;
    const groups = Array.isArray(claims['cognito:groups']) ? (claims['cognito:groups'] as string[]) : [];
    return {
      username: user.username,
      displayName: user.displayName,
      admin: groups.includes(this.o.adminGroup ?? 'cairn-admins'),
    };
  }

  async findUsers(prefix: string, limit: number): Promise<UserSummary[]> {
    const max = Math.max(1, Math.min(limit, 60));
    const key = `${prefix.toLowerCase()}\n${max}`;
    const now = this.clock.now().getTime();
    const hit = this.searches.get(key);
    if (hit && now - hit.at < 30_000) return hit.result;
    this.take();
    const result = this.search(prefix, max);
    if (this.searches.size > 500) this.searches.clear();
    this.searches.set(key, { at: now, result });
    result.catch(() => this.searches.delete(key));
    return result;
  }

  async getUser(username: string): Promise<UserSummary | null> {
    const now = this.clock.now().getTime();
    const hit = this.users.get(username);
    if (hit && now - hit.at < (this.o.userCacheSeconds ?? 60) * 1000) return hit.user;
    let user: UserSummary | null;
    try {
      const out = await this.o.client.send(
        new AdminGetUserCommand({ UserPoolId: this.o.userPoolId, Username: username }),
      );
      user =
        out.Enabled === false
          ? null
          : { username: out.Username!, displayName: attribute(out.UserAttributes, 'name') ?? out.Username! };
    } catch (err) {
      if (sdkErrorName(err) !== 'UserNotFoundException') throw translateAwsError(err, 'Cognito AdminGetUser');
      user = null;
    }
    if (this.users.size > 5000) this.users.clear();
    this.users.set(username, { at: now, user });
    return user;
  }

  private async search(prefix: string, limit: number): Promise<UserSummary[]> {
    const filters = prefix === '' ? [undefined] : [`username ^= ${quote(prefix)}`, `name ^= ${quote(prefix)}`];
    const pages = await Promise.all(
      filters.map((Filter) =>
        awsCall('Cognito ListUsers', () =>
          this.o.client.send(
            new ListUsersCommand({ UserPoolId: this.o.userPoolId, Limit: limit, ...(Filter ? { Filter } : {}) }),
          ),
        ),
      ),
    );
    const found = new Map<string, UserSummary>();
    for (const u of pages.flatMap((p) => p.Users ?? [])) {
      if (!u.Username || u.Enabled === false || found.has(u.Username)) continue;
      found.set(u.Username, { username: u.Username, displayName: attribute(u.Attributes, 'name') ?? u.Username });
    }
    return [...found.values()].sort((a, b) => a.username.localeCompare(b.username)).slice(0, limit);
  }

  /** Token bucket: refuses a search when the function instance has used its share. */
  private take(): void {
    const now = this.clock.now().getTime();
    const rate = this.o.searchesPerSecond ?? 5;
    const burst = this.o.searchBurst ?? 10;
    this.tokens = Math.min(burst, this.tokens + ((now - this.refilledAt) / 1000) * rate);
    this.refilledAt = now;
    if (this.tokens < 1) {
      throw rateLimited('CAIRN_USER_SEARCH_RATE_LIMITED', 'Too many user searches; try again in a moment.', 1);
    }
    this.tokens -= 1;
  }
}
