/**
 * Open-loop load: request i is due at start + i/rate whatever the answers so far, so a slow server does
 * not slow the sender down (closed-loop load would hide queueing). A 1 ms timer sends every request that
 * has come due; requests go out over a keep-alive node:http Agent. Each answer's arrival is noted on
 * performance.now().
 */
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface Prepared {
  headers: Record<string, string>;
  body: Buffer;
}

export interface OpenLoopResult {
  /** performance.now() when each request was handed to the agent; NaN if never sent. */
  sentAt: Float64Array;
  /** performance.now() when each answer's head arrived; NaN without one. */
  answeredAt: Float64Array;
  status: Uint16Array;
  /** Requests that failed without an HTTP answer (reset, refused, timed out). */
  errors: number;
  firstError: string | null;
  /** performance.now() of the first and last send. */
  startedAt: number;
  endedAt: number;
  /** How late the timer sent requests behind their schedule, ms (a busy client shows here). */
  lagMs: Float64Array;
}

export interface OpenLoopOptions {
  url: string;
  rate: number;
  /** How many requests to send. */
  count: number;
  /** Request i, made when it is due (so a signature's timestamp is fresh however long the run). */
  request: (i: number) => Prepared;
  connections: number;
  timeoutMs?: number;
}

export async function openLoop(o: OpenLoopOptions): Promise<OpenLoopResult> {
  const n = o.count;
  const r: OpenLoopResult = {
    sentAt: new Float64Array(n).fill(NaN),
    answeredAt: new Float64Array(n).fill(NaN),
    status: new Uint16Array(n),
    errors: 0,
    firstError: null,
    startedAt: NaN,
    endedAt: NaN,
    lagMs: new Float64Array(n),
  };
  const agent = new Agent({ keepAlive: true, maxSockets: o.connections, keepAliveMsecs: 10_000 });
  const target = new URL(o.url);
  let next = 0;
  let pending = 0;
  let allSettled: () => void = () => {};
  const settled = new Promise<void>((resolve) => (allSettled = resolve));
  const send = (i: number, now: number) => {
    const { headers, body } = o.request(i);
    let finished = false;
    const finish = (err?: Error) => {
      if (finished) return;
      finished = true;
      if (err && r.status[i] === 0) {
        r.errors += 1;
        r.firstError ??= err.message;
      }
      pending -= 1;
      if (pending === 0 && next === n) allSettled();
    };
    r.sentAt[i] = now;
    pending += 1;
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers: { ...headers, 'content-length': String(body.byteLength) },
        timeout: o.timeoutMs ?? 30_000,
      },
      (res) => {
        r.answeredAt[i] = performance.now();
        r.status[i] = res.statusCode ?? 0;
        res.resume();
        res.once('end', () => finish());
        res.once('error', (err) => finish(err));
      },
    );
    req.once('timeout', () => req.destroy(new Error('timed out')));
    req.once('error', (err) => finish(err));
    req.end(body);
  };

  const t0 = performance.now();
  r.startedAt = t0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      const due = Math.min(n, Math.floor(((now - t0) * o.rate) / 1000) + 1);
      for (; next < due; next++) {
        r.lagMs[next] = now - (t0 + (next * 1000) / o.rate);
        send(next, now);
      }
      if (next < n) setTimeout(tick, 1);
      else {
        r.endedAt = now;
        resolve();
      }
    };
    tick();
  });
  if (pending > 0) await settled;
  agent.destroy();
  return r;
}
