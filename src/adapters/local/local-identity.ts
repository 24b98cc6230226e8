import type { UserService } from '../../core/users/service.ts';
import type { Identity, UserSummary } from '../../ports/identity.ts';
import type { UserRepository } from '../../ports/repositories.ts';

/** The local user pool behind the Identity port (Cognito takes this place on AWS). */
export class LocalIdentity implements Identity {
  constructor(
    private readonly users: UserRepository,
    private readonly service: UserService,
  ) {}

  verify(token: string) {
    return this.service.verify(token);
  }

  async findUsers(prefix: string, limit: number): Promise<UserSummary[]> {
    return (await this.users.findByPrefix(prefix, limit)).map((u) => ({
      username: u.username,
      displayName: u.displayName,
    }));
  }

  async getUser(username: string): Promise<UserSummary | null> {
    const u = await this.users.get(username);
    return u ? { username: u.username, displayName: u.displayName } : null;
  }
}
