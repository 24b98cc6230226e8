/**
 * The attempt limiter's contract (core/rate-limiter.ts): the in-memory limiter and the DynamoDB one run
 * this same suite, so share passwords and sign-ins are limited alike on both runtimes — concurrency
 * included, which is where a check-then-record limiter lets a burst of guesses through.
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { CairnError } from '../../src/core/errors.ts';
import { type AttemptLimiter, type RateLimitRule, takeBoth } from '../../src/core/rate-limiter.ts';

export type MakeLimiter = (rule: RateLimitRule, clock: ManualClock, name?: string) => Promise<AttemptLimiter>;

const refused = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  const e = err as CairnError;
  expect(e.code).toBe('CAIRN_TEST_RATE_LIMITED');
  expect(e.kind).toBe('rate_limited');
  return e;
};

export function describeAttemptLimiterContract(label: string, make: MakeLimiter): void {
  describe(`AttemptLimiter contract: ${label}`, () => {
    it('refuses once the limit of failed attempts is used up, with the seconds left in the window', async () => {
      const clock = new ManualClock();
      const l = await make({ limit: 3, windowSeconds: 60 }, clock);
      for (let i = 0; i < 3; i += 1) await l.take('1.2.3.4');
      clock.advance(20_000);
      const e = await refused(l.take('1.2.3.4'));
      expect(e.message).toMatch(/try again in 40 s/);
      expect((e.details as { retryAfterSeconds: number }).retryAfterSeconds).toBe(40);
      // other keys are not affected
      await l.take('5.6.7.8');
    });

    it('opens a new window once the old one ends', async () => {
      const clock = new ManualClock();
      const l = await make({ limit: 2, windowSeconds: 10 }, clock);
      await l.take('k');
      await l.take('k');
      await refused(l.take('k'));
      clock.advance(10_000);
      await l.take('k');
      await l.take('k');
      await refused(l.take('k'));
    });

    it('does not count attempts that are given back (successes)', async () => {
      const clock = new ManualClock();
      const l = await make({ limit: 2, windowSeconds: 60 }, clock);
      for (let i = 0; i < 10; i += 1) {
        await l.take('share');
        await l.giveBack('share');
      }
      await l.take('share');
      await l.take('share');
      await refused(l.take('share'));
      // giving back more than was taken never goes below zero
      await l.giveBack('share');
      await l.giveBack('share');
      await l.giveBack('share');
      await l.take('share');
      await l.take('share');
      await refused(l.take('share'));
    });

    it('forgets a key on reset', async () => {
      const clock = new ManualClock();
      const l = await make({ limit: 1, windowSeconds: 60 }, clock);
      await l.take('alice');
      await refused(l.take('alice'));
      await l.reset('alice');
      await l.take('alice');
    });

    it('lets exactly `limit` of many parallel attempts through', async () => {
      const clock = new ManualClock();
      const l = await make({ limit: 5, windowSeconds: 60 }, clock);
      const results = await Promise.allSettled(Array.from({ length: 30 }, () => l.take('burst')));
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(5);
      for (const r of results)
        if (r.status === 'rejected') expect((r.reason as CairnError).code).toBe('CAIRN_TEST_RATE_LIMITED');
    });

    it('takeBoth takes from neither limiter when the second refuses', async () => {
      const clock = new ManualClock();
      const perAddress = await make({ limit: 3, windowSeconds: 60 }, clock, 'address');
      const perShare = await make({ limit: 1, windowSeconds: 60 }, clock, 'share');
      await takeBoth(perAddress, 'ip', perShare, 's1');
      await refused(takeBoth(perAddress, 'ip', perShare, 's1'));
      await refused(takeBoth(perAddress, 'ip', perShare, 's1'));
      // the refusals above did not use up the address's remaining two attempts
      await takeBoth(perAddress, 'ip', perShare, 's2');
      await takeBoth(perAddress, 'ip', perShare, 's3');
      await refused(takeBoth(perAddress, 'ip', perShare, 's4'));
    });
  });
}
