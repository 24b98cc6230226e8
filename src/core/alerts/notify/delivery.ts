/**
 * What the channel sender and the subscription deliverer share: reading an HTTP answer or a failure as
 * an attempt outcome, recording attempts per (event, target), and the retry decision. 2xx succeeds;
 * anything else is retried with backoff, and 429 waits as long as its Retry-After asks.
 */
import type { HttpResult } from '../../../ports/alerts.ts';
import { isCairnError } from '../../errors.ts';
import { backoffSeconds, type HandleOutcome } from '../workers/outcome.ts';

export interface RetryPolicy {
  baseSeconds: number;
  maxSeconds: number;
  /** The queue's maxReceiveCount: the attempt that reaches it is recorded as `dead`. */
  maxReceiveCount: number;
}

export interface Attempt {
  ok: boolean;
  error: string | null;
  /** From a 429's Retry-After, in seconds. */
  retryAfterSeconds: number | null;
}

/** SQS cannot delay a message longer than 12 hours. */
const MAX_DELAY_SECONDS = 12 * 3600;

/** Retry-After as seconds (delta-seconds or an HTTP date), or null when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: Date): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Math.min(Number(trimmed), MAX_DELAY_SECONDS);
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? null : Math.min(Math.max(0, Math.ceil((at - now.getTime()) / 1000)), MAX_DELAY_SECONDS);
}

const snippet = (body: string) =>
  body
    .replace(/[\u0000-\u001f]+/g, ' ')
    .trim()
    .slice(0, 200);

export function attemptOf(result: HttpResult, now: Date): Attempt {
  if (result.status >= 200 && result.status < 300) return { ok: true, error: null, retryAfterSeconds: null };
  const retryAfterSeconds = result.status === 429 ? parseRetryAfter(result.headers['retry-after'], now) : null;
  const body = snippet(result.body);
  return { ok: false, error: `HTTP ${result.status}${body ? `: ${body}` : ''}`, retryAfterSeconds };
}

export function failedAttempt(err: unknown): Attempt {
  const error = isCairnError(err) ? `${err.code}: ${err.message}` : err instanceof Error ? err.message : String(err);
  return { ok: false, error, retryAfterSeconds: null };
}

/** What an attempt leaves on its delivery records: succeeded, failed, or dead when the queue will give up. */
export function recordedOutcome(attempt: Attempt, at: Date, finalAttempt: boolean) {
  return {
    status: attempt.ok ? ('succeeded' as const) : finalAttempt ? ('dead' as const) : ('failed' as const),
    error: attempt.error,
    at,
  };
}

/** After failed attempts: wait the longest Retry-After asked for, else backoff with full jitter. */
export function retryOutcome(
  receiveCount: number,
  policy: RetryPolicy,
  failures: Attempt[],
  random: () => number = Math.random,
): HandleOutcome {
  const asked = Math.max(0, ...failures.map((f) => f.retryAfterSeconds ?? 0));
  const retryAfterSeconds =
    asked > 0 ? asked : backoffSeconds(receiveCount, policy.baseSeconds, policy.maxSeconds, random);
  return {
    retryAfterSeconds,
    error: failures
      .map((f) => f.error)
      .join('; ')
      .slice(0, 1000),
  };
}
