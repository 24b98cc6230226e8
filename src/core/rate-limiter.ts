import type { Clock } from './clock.ts';
import { rateLimited } from './errors.ts';

export interface RateLimitRule {
  /** How many failures are allowed within the window. */
  limit: number;
  windowSeconds: number;
}

/**
 * Limits failed attempts (passwords, sign-ins) per key in a fixed window. An attempt is *taken* before
 * the secret is checked — atomically, so N parallel guesses cannot all slip past a check made before any
 * of them failed — and *given back* when it succeeded. So only failures use up the limit, yet the
 * limit holds under concurrency. The local runtime keeps counts in memory (one process); the AWS
 * runtime keeps them in DynamoDB, shared by every Lambda instance.
 */
export interface AttemptLimiter {
  /** Counts an attempt for `key`; throws CAIRN_* rate_limited (429) when it has no attempts left. */
  take(key: string): Promise<void>;
  /** The attempt succeeded: it does not count. */
  giveBack(key: string): Promise<void>;
  /** Forgets every attempt of `key` (a success that clears the slate, e.g. a sign-in). */
  reset(key: string): Promise<void>;
}

/** What a limiter refuses with: the error code and the noun phrase in its message. */
export interface LimitRefusal {
  code: string;
  /** e.g. "password attempts for this share", as in "Too many failed …". */
  what: string;
}

export function limitReached(refusal: LimitRefusal, retryAfterMs: number) {
  const retryAfter = Math.max(1, Math.ceil(retryAfterMs / 1000));
  return rateLimited(refusal.code, `Too many failed ${refusal.what}; try again in ${retryAfter} s.`, retryAfter);
}

/** In memory, for one process. */
export class FailureRateLimiter implements AttemptLimiter {
  private readonly windows = new Map<string, { start: number; attempts: number }>();
  private readonly refusal: LimitRefusal;

  constructor(
    private readonly rule: RateLimitRule,
    private readonly clock: Clock,
    code: string,
    what: string,
  ) {
    this.refusal = { code, what };
  }

  async take(key: string): Promise<void> {
    const now = this.clock.now().getTime();
    const w = this.current(key, now) ?? { start: now, attempts: 0 };
    if (w.attempts >= this.rule.limit) throw limitReached(this.refusal, w.start + this.rule.windowSeconds * 1000 - now);
    w.attempts += 1;
    this.windows.set(key, w);
    if (this.windows.size > 100_000) this.prune(now);
  }

  async giveBack(key: string): Promise<void> {
    const w = this.current(key, this.clock.now().getTime());
    if (w && w.attempts > 0) w.attempts -= 1;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private current(key: string, now: number) {
    const w = this.windows.get(key);
    if (!w) return undefined;
    if (now - w.start >= this.rule.windowSeconds * 1000) {
      this.windows.delete(key);
      return undefined;
    }
    return w;
  }

  private prune(now: number) {
    for (const key of this.windows.keys()) this.current(key, now);
  }
}

/** Takes an attempt from both limiters, or from neither: the first is given back if the second refuses. */
export async function takeBoth(a: AttemptLimiter, aKey: string, b: AttemptLimiter, bKey: string): Promise<void> {
  await a.take(aKey);
  try {
    await b.take(bKey);
  } catch (err) {
    await a.giveBack(aKey);
    throw err;
  }
}
