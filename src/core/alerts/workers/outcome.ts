/** What a worker step tells its loop: done (ack), or try again later (retryLater → eventually the DLQ). */
export type HandleOutcome = 'ack' | { retryAfterSeconds: number; error: string };

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"):
 * a random delay in [0, min(max, base · 2^(attempt-1))], at least one second.
 */
export function backoffSeconds(
  attempt: number,
  baseSeconds: number,
  maxSeconds: number,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(maxSeconds, baseSeconds * 2 ** Math.max(0, attempt - 1));
  return Math.max(1, Math.round(random() * ceiling));
}
