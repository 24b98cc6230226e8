/**
 * Parts of the kill -9 pipeline test: plain Node HTTP sinks standing in for Slack and for a signed
 * generic webhook receiver, a keep-alive POST that reports "no answer" apart from an HTTP status, and
 * the process tree of the server child (to prove that nothing outlives a SIGKILL).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Agent, createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import { signStandardWebhook, standardWebhooksKey } from '../../src/core/alerts/ingest/standard-webhooks.ts';

export type Json = Record<string, any>;

/** One request a sink received: the event ids it carried and whether the sink answered 2xx. */
export interface SinkHit {
  eventIds: string[];
  /** The Standard Webhooks `webhook-id` (the notification id), for the signed webhook sink. */
  webhookId: string | null;
  ok: boolean;
}

export interface Sink {
  url: string;
  hits: SinkHit[];
  /** Requests refused because their signature did not verify (must stay 0). */
  badSignatures: number;
  /** While true, the sink answers 500 (a receiver having a bad minute). */
  failing: boolean;
  /** Event id → how many times it was delivered with a 2xx answer. */
  delivered(): Map<string, number>;
  close(): Promise<void>;
}

interface SinkOptions {
  /** The event ids a request carries. */
  eventIds(body: Json): string[];
  /** When set, requests must carry a valid Standard Webhooks signature made with this secret. */
  secret?: string;
  /** A small answer delay, so deliveries are in flight when the server dies. */
  delayMs?: number;
}

export async function startSink(options: SinkOptions): Promise<Sink> {
  const key = options.secret ? standardWebhooksKey(options.secret) : null;
  const sink: Sink = {
    url: '',
    hits: [],
    badSignatures: 0,
    failing: false,
    delivered() {
      const counts = new Map<string, number>();
      for (const h of sink.hits) if (h.ok) for (const id of h.eventIds) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      if (key && !signatureValid(key, req.headers, raw)) {
        sink.badSignatures += 1;
        res.writeHead(401).end('bad signature');
        return;
      }
      const ok = !sink.failing;
      const webhookId = typeof req.headers['webhook-id'] === 'string' ? req.headers['webhook-id'] : null;
      sink.hits.push({ eventIds: options.eventIds(JSON.parse(raw.toString('utf8')) as Json), webhookId, ok });
      setTimeout(() => res.writeHead(ok ? 200 : 500).end(ok ? 'ok' : 'down for a minute'), options.delayMs ?? 0);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  sink.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  return sink;
}

function signatureValid(key: Buffer, headers: IncomingHttpHeaders, raw: Buffer): boolean {
  const [id, ts, sig] = [headers['webhook-id'], headers['webhook-timestamp'], headers['webhook-signature']];
  if (typeof id !== 'string' || typeof ts !== 'string' || typeof sig !== 'string') return false;
  const expected = Buffer.from(signStandardWebhook(key, id, Number(ts), raw));
  return sig.split(' ').some((s) => {
    const given = Buffer.from(s);
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

/** Event ids in a Slack message: the "Open in Cairn" button links to /alerts/events/<id>. */
export const slackEventIds = (body: Json): string[] => [
  ...new Set([...JSON.stringify(body).matchAll(/\/alerts\/events\/(evt_[\w-]+)/g)].map((m) => m[1]!)),
];

/** Event ids in a generic webhook notification: the newest event whole, the others listed. */
export const webhookEventIds = (body: Json): string[] => [
  ...new Set([body.event?.eventId, ...((body.events as Json[] | undefined) ?? []).map((e) => e.eventId)]),
];

export type PostResult = { status: number; body: Json } | { status: 'no answer'; error: string };

/** POSTs JSON on a keep-alive agent; a reset or refused connection is "no answer", not a throw. */
export function post(url: string, headers: Record<string, string>, body: string, agent: Agent): Promise<PostResult> {
  return new Promise((resolve) => {
    const req = request(url, { method: 'POST', headers, agent, timeout: 20_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        let parsed: Json = {};
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json;
        } catch {
          // not JSON; the status tells
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
      res.on('error', (err) => resolve({ status: 'no answer', error: err.message }));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (err) => resolve({ status: 'no answer', error: err.message }));
    req.end(body);
  });
}

/** Every process below `pid` (Linux /proc), so a test can check that none survives the parent's SIGKILL. */
export function descendants(pid: number): number[] {
  const parentOf = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // Field 4 of /proc/<pid>/stat, after the parenthesised command name (which may hold spaces).
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      parentOf.set(Number(name), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // the process ended while we looked
    }
  }
  const out: number[] = [];
  const walk = (p: number) => {
    for (const [child, parent] of parentOf) {
      if (parent !== p) continue;
      out.push(child);
      walk(child);
    }
  };
  walk(pid);
  return out;
}

/** Whether `pid` still runs (a zombie waiting to be reaped no longer does). */
export function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}
