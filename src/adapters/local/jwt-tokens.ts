import { SignJWT, jwtVerify } from 'jose';
import type { Clock } from '../../core/clock.ts';
import type { SessionTokens } from '../../core/users/service.ts';
import type { Principal } from '../../ports/identity.ts';

/** HS256 JWTs signed with a key derived from the master key; short claims, no secrets inside. */
export class JwtSessionTokens implements SessionTokens {
  constructor(
    private readonly key: Uint8Array,
    private readonly ttlSeconds: number,
    private readonly clock: Clock,
    private readonly audience = 'cairn-session',
  ) {}

  async issue(principal: Principal, version: string) {
    const now = Math.floor(this.clock.now().getTime() / 1000);
    const exp = now + this.ttlSeconds;
    const token = await new SignJWT({ ver: version })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(principal.username)
      .setIssuer('cairn')
      .setAudience(this.audience)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresAt: new Date(exp * 1000) };
  }

  async read(token: string): Promise<{ username: string; version: string } | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: 'cairn',
        audience: this.audience,
        currentDate: this.clock.now(),
      });
      return typeof payload.sub === 'string' && typeof payload.ver === 'string'
        ? { username: payload.sub, version: payload.ver }
        : null;
    } catch {
      return null;
    }
  }
}
