/** What a worker step tells its loop: done (ack), or try again later (retryLater → eventually the DLQ). */
export type HandleOutcome = 'ack' | { retryAfterSeconds: number; error: string };

/**
 * Exponential backoff with "equal jitter" (AWS Architecture Blog, "Exponential Backoff and Jitter"): a
 * random delay in [c/2, c] where c = min(max, base · 2^(attempt-1)), at least one second. Half of each
 * wait is fixed so that a retry schedule spans a known time (a receiver down for minutes is still
 * retried when it is back); the random half keeps a storm of retries from arriving together.
 */
export function backoffSeconds(
  attempt: number,
  baseSeconds: number,
  maxSeconds: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(ceiling / 2 + (random() * ceiling) / 2));
}

/** The least total wait of a retry schedule: what the attempts cover at worst (random() = 0). */
export function minimumRetrySpanSeconds(attempts: number, baseSeconds: number, maxSeconds: number): number {
  let total = 0;
  for (let n = 1; n < attempts; n += 1) total += backoffSeconds(n, baseSeconds, maxSeconds, () => 0);
  return total;
}
