/** Runs tasks with a concurrency limit; each task is retried on its own with exponential backoff. */

export interface RetryPolicy {
  /** Attempts after the first. */
  retries: number;
  /** The first wait; each further wait doubles (with ±20% jitter), capped at 60 s. */
  backoffMs: number;
  sleep?: (ms: number) => Promise<void>;
  /** Called after a failed attempt that will be retried. */
  onRetry?: (attempt: number, err: unknown) => void | Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function backoffDelay(attempt: number, baseMs: number, random = Math.random): number {
  const raw = Math.min(60_000, baseMs * 2 ** (attempt - 1));
  return Math.round(raw * (0.8 + 0.4 * random()));
}

export async function withRetry<T>(task: (attempt: number) => Promise<T>, policy: RetryPolicy, stop: () => boolean) {
  const sleep = policy.sleep ?? defaultSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await task(attempt);
    } catch (err) {
      if (attempt > policy.retries || stop()) throw err;
      await policy.onRetry?.(attempt, err);
      await sleep(backoffDelay(attempt, policy.backoffMs));
      if (stop()) throw err;
    }
  }
}

/**
 * Runs every item through `worker`, at most `concurrency` at a time. On the first failure no new item
 * starts; the ones in flight finish (or fail), then the first error is thrown.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  worker: (item: T, stopped: () => boolean) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failure: { err: unknown } | null = null;
  const stopped = () => failure !== null;
  const lane = async () => {
    while (!failure && next < items.length) {
      const item = items[next++] as T;
      try {
        await worker(item, stopped);
      } catch (err) {
        failure ??= { err };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, lane));
  if (failure) throw (failure as { err: unknown }).err;
}
