/**
 * On AWS, Cognito owns the users: sign-in is the hosted UI (PKCE), accounts are created and removed in
 * the user pool (README, "Deploy to AWS"). The HTTP app still takes a UserService; this one answers the
 * password and account routes with CAIRN_USERS_MANAGED_BY_COGNITO and lists users from Cognito.
 */
import { ListUsersCommand, type CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { awsCall } from '../../adapters/aws/errors.ts';
import type { Clock } from '../../core/clock.ts';
import { CairnError } from '../../core/errors.ts';
import { FailureRateLimiter } from '../../core/rate-limiter.ts';
import { UserService } from '../../core/users/service.ts';
import type { Principal, SessionToken } from '../../ports/identity.ts';
import type { Page, PageRequest, UserRecord, UserRepository } from '../../ports/repositories.ts';

export const managedByCognito = () =>
  new CairnError(
    'CAIRN_USERS_MANAGED_BY_COGNITO',
    'invalid',
    'On AWS, Cognito manages accounts and sign-in: use the hosted sign-in page, and the user pool to add or remove users.',
  );

const refuse = async (): Promise<never> => {
  throw managedByCognito();
};

/** Cognito's users as the UserRepository the admin list reads (writes are refused). */
class CognitoUserDirectory implements UserRepository {
  constructor(
    private readonly client: CognitoIdentityProviderClient,
    private readonly userPoolId: string,
  ) {}

  insert = refuse;
  setPassword = refuse;
  remove = refuse;
  get = async (): Promise<null> => null;
  findByPrefix = async (): Promise<UserRecord[]> => [];
  count = async (): Promise<number> => 1;

  async list(page: PageRequest): Promise<Page<UserRecord>> {
    const out = await awsCall('Cognito ListUsers', () =>
      this.client.send(
        new ListUsersCommand({
          UserPoolId: this.userPoolId,
          Limit: Math.min(page.limit ?? 50, 60),
          ...(page.cursor ? { PaginationToken: Buffer.from(page.cursor, 'base64url').toString('utf8') } : {}),
        }),
      ),
    );
    const items = (out.Users ?? []).map((u) => ({
      username: u.Username!,
      displayName: u.Attributes?.find((a) => a.Name === 'name')?.Value ?? u.Username!,
      passwordHash: '',
      admin: false,
      createdAt: u.UserCreateDate ?? new Date(0),
      sessionVersion: '',
    }));
    return out.PaginationToken
      ? { items, cursor: Buffer.from(out.PaginationToken, 'utf8').toString('base64url') }
      : { items };
  }
}

export class CognitoUserService extends UserService {
  constructor(client: CognitoIdentityProviderClient, userPoolId: string, clock: Clock) {
    const limiter = new FailureRateLimiter(
      { limit: 1, windowSeconds: 1 },
      clock,
      'CAIRN_SIGN_IN_RATE_LIMITED',
      'sign-ins',
    );
    super({
      users: new CognitoUserDirectory(client, userPoolId),
      hasher: { hash: refuse, verify: async () => false },
      tokens: { issue: refuse as () => Promise<SessionToken>, read: async () => null },
      clock,
      accountLimiter: limiter,
      addressLimiter: limiter,
    });
  }

  override signIn(): Promise<{ principal: Principal; session: SessionToken }> {
    return refuse();
  }
  override addUser(): Promise<Principal> {
    return refuse();
  }
  override removeUser(): Promise<void> {
    return refuse();
  }
  override setPassword(): Promise<void> {
    return refuse();
  }
}
