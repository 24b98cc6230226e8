import type { Clock } from './clock.ts';
import { rateLimited } from './errors.ts';

export interface RateLimitRule {
  /** How many failures are allowed within the window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Counts failures per key in a fixed window and refuses further attempts once the limit is reached,
 * until the window ends. In memory: right for one local process; the AWS runtime swaps in a
 * DynamoDB-backed limiter behind the same shape.
 */
export class FailureRateLimiter {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly rule: RateLimitRule,
    private readonly clock: Clock,
    private readonly code: string,
    private readonly what: string,
  ) {}

  /** Throws CAIRN_* rate_limited (429) when `key` has used up its attempts. */
  check(key: string): void {
    const w = this.current(key);
    if (w && w.failures >= this.rule.limit) {
      const retryAfter = Math.max(
        1,
        Math.ceil((w.start + this.rule.windowSeconds * 1000 - this.clock.now().getTime()) / 1000),
      );
      throw rateLimited(this.code, `Too many failed ${this.what}; try again in ${retryAfter} s.`, retryAfter);
    }
  }

  fail(key: string): void {
    const w = this.current(key) ?? { start: this.clock.now().getTime(), failures: 0 };
    w.failures += 1;
    this.windows.set(key, w);
    if (this.windows.size > 100_000) this.prune();
  }

  reset(key: string): void {
    this.windows.delete(key);
  }

  private current(key: string) {
    const w = this.windows.get(key);
    if (!w) return undefined;
    if (this.clock.now().getTime() - w.start >= this.rule.windowSeconds * 1000) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private prune() {
    for (const key of this.windows.keys()) this.current(key);
  }
}
