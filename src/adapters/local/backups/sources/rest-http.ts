/**
 * The HTTP side of the REST source: GET with a timeout, retries with exponential backoff and jitter on
 * 429, 5xx and network failures, honouring Retry-After (seconds or an HTTP date) up to a limit.
 * Messages name the URL without its query string (it may hold a token); header values never appear.
 */
import { isCairnError } from '../../../../core/errors.ts';
import { sourceFailed, sourceUnavailable } from '../adapter-errors.ts';

export interface RetryOptions {
  /** Tries per request, the first included (default 6). */
  maxAttempts?: number;
  /** First backoff delay (default 500 ms); doubles per try, with jitter. */
  baseDelayMs?: number;
  /** Longest backoff delay (default 30 s). */
  maxDelayMs?: number;
  /** Longest Retry-After honoured (default 5 minutes); a server asking more fails the read. */
  maxRetryAfterMs?: number;
}

export interface HttpGetOptions {
  headers: Record<string, string>;
  timeoutMs: number;
  retry: Required<RetryOptions>;
  fetch: typeof fetch;
  sleep: (ms: number) => Promise<void>;
}

export interface Page {
  url: string;
  status: number;
  headers: Headers;
  body: unknown;
}

export const withoutQuery = (url: string) => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return 'an invalid URL';
  }
};

/** Milliseconds a Retry-After header asks for, or undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const at = Date.parse(v);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Equal jitter: half the exponential delay, plus up to the other half at random. */
export function backoffMs(attempt: number, r: Required<RetryOptions>, random = Math.random): number {
  const d = Math.min(r.maxDelayMs, r.baseDelayMs * 2 ** (attempt - 1));
  return d / 2 + random() * (d / 2);
}

const reasonOf = (e: unknown) =>
  e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e);

export async function getJson(url: string, o: HttpGetOptions): Promise<Page> {
  const shown = withoutQuery(url);
  for (let attempt = 1; ; attempt++) {
    const last = attempt >= o.retry.maxAttempts;
    let wait: number;
    let why: string;
    try {
      const res = await o.fetch(url, {
        headers: o.headers,
        signal: AbortSignal.timeout(o.timeoutMs),
        redirect: 'follow',
      });
      if (res.ok) {
        const text = await res.text();
        try {
          return { url: res.url || url, status: res.status, headers: res.headers, body: JSON.parse(text) as unknown };
        } catch {
          throw sourceFailed(`REST source: GET ${shown} did not answer JSON (${text.slice(0, 120)}).`);
        }
      }
      const snippet = (await res.text().catch(() => '')).slice(0, 300);
      if (res.status !== 429 && res.status < 500) {
        const hint = res.status === 401 || res.status === 403 ? ' (check the auth secret)' : '';
        throw sourceFailed(`REST source: GET ${shown} answered ${res.status} ${res.statusText}${hint}: ${snippet}`);
      }
      why = `answered ${res.status} ${res.statusText}`;
      const asked = retryAfterMs(res.headers.get('retry-after'));
      if (asked !== undefined && asked > o.retry.maxRetryAfterMs) {
        throw sourceUnavailable(
          `REST source: GET ${shown} ${why} and asked to retry after ${Math.ceil(asked / 1000)} s, over the limit.`,
        );
      }
      wait = asked ?? backoffMs(attempt, o.retry);
    } catch (e) {
      if (isCairnError(e)) throw e;
      why = `failed: ${reasonOf(e)}`;
      wait = backoffMs(attempt, o.retry);
    }
    if (last) throw sourceUnavailable(`REST source: GET ${shown} ${why} (gave up after ${attempt} attempts).`);
    await o.sleep(wait);
  }
}

/** The URL of rel="next" in an RFC 8288 Link header, resolved against the page's URL. */
export function nextLink(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(m[2]!);
    const rels = (rel?.[1] ?? rel?.[2] ?? '').toLowerCase().split(/\s+/);
    if (rels.includes('next')) return new URL(m[1]!, base).toString();
  }
  return undefined;
}

/** `$`, `$.data`, `$.result.items`, `$.pages[0].rows`: a small JSONPath subset. */
export function atPath(body: unknown, path: string): unknown {
  const p = path.trim();
  if (p === '$' || p === '') return body;
  if (!p.startsWith('$')) throw sourceFailed(`REST source: the path ${path} must start with $.`);
  let cur: unknown = body;
  for (const m of p.slice(1).matchAll(/\.([^.[\]]+)|\[(\d+)\]|\['([^']*)'\]/g)) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const key = m[1] ?? m[3] ?? Number(m[2]);
    cur = (cur as Record<string | number, unknown>)[key];
  }
  return cur;
}
