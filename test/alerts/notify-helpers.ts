/**
 * Test doubles for the notification tests: an in-memory Queue with SQS semantics (visibility timeout,
 * dedup, maxReceiveCount → dead letters) driven by a ManualClock, an in-memory EventHistory, real HTTP
 * sinks (node:http on port 0) that record requests and answer as told, and an event factory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import type { HandleOutcome } from '../../src/core/alerts/workers/outcome.ts';
import type { ManualClock } from '../../src/core/clock.ts';
import type { EventHistory, StoredEvent } from '../../src/ports/alerts.ts';
import type { DeadLetter, Queue, QueueDepth, QueueMessage, SendOptions } from '../../src/ports/queue.ts';
import type { Page, PageRequest } from '../../src/ports/repositories.ts';

interface Stored<T> {
  id: string;
  body: T;
  dedupId: string | null;
  receiveCount: number;
  receipt: string | null;
  visibleAt: number;
  sentAt: Date;
  lastError: string | null;
}

export class MemoryQueue<T> implements Queue<T> {
  private live: Stored<T>[] = [];
  readonly dead: DeadLetter<T>[] = [];
  private seq = 0;

  constructor(
    readonly name: string,
    private readonly clock: ManualClock,
    private readonly maxReceiveCount = 5,
  ) {}

  async send(body: T, options: SendOptions = {}) {
    const dup = options.dedupId ? this.live.find((m) => m.dedupId === options.dedupId) : undefined;
    if (dup) return { id: dup.id, duplicate: true };
    const now = this.clock.now().getTime();
    const m: Stored<T> = {
      id: `m${++this.seq}`,
      body: structuredClone(body),
      dedupId: options.dedupId ?? null,
      receiveCount: 0,
      receipt: null,
      visibleAt: now + (options.delaySeconds ?? 0) * 1000,
      sentAt: new Date(now),
      lastError: null,
    };
    this.live.push(m);
    return { id: m.id, duplicate: false };
  }

  async receive(max: number, options: { visibilityTimeoutSeconds?: number } = {}): Promise<QueueMessage<T>[]> {
    const now = this.clock.now().getTime();
    const out: QueueMessage<T>[] = [];
    for (const m of [...this.live]) {
      if (out.length >= max || m.visibleAt > now) continue;
      if (m.receiveCount >= this.maxReceiveCount) {
        this.live = this.live.filter((x) => x !== m);
        this.dead.push({
          id: m.id,
          body: m.body,
          receiveCount: m.receiveCount,
          sentAt: m.sentAt,
          deadAt: new Date(now),
          lastError: m.lastError,
        });
        continue;
      }
      m.receiveCount += 1;
      m.receipt = `${m.id}:${m.receiveCount}`;
      m.visibleAt = now + (options.visibilityTimeoutSeconds ?? 30) * 1000;
      out.push({
        id: m.id,
        body: structuredClone(m.body),
        receiveCount: m.receiveCount,
        receipt: m.receipt,
        sentAt: m.sentAt,
      });
    }
    return out;
  }

  async ack(message: QueueMessage<T>) {
    this.live = this.live.filter((m) => !(m.id === message.id && m.receipt === message.receipt));
  }

  async retryLater(message: QueueMessage<T>, delaySeconds: number, error?: string) {
    const m = this.live.find((x) => x.id === message.id && x.receipt === message.receipt);
    if (!m) return;
    m.visibleAt = this.clock.now().getTime() + delaySeconds * 1000;
    m.lastError = error ?? null;
  }

  async depth(): Promise<QueueDepth> {
    const now = this.clock.now().getTime();
    const visible = this.live.filter((m) => m.visibleAt <= now).length;
    const inFlight = this.live.filter((m) => m.visibleAt > now && m.receiveCount > 0).length;
    return { visible, inFlight, delayed: this.live.length - visible - inFlight, dead: this.dead.length };
  }

  async listDead(_page?: PageRequest): Promise<Page<DeadLetter<T>>> {
    return { items: [...this.dead] };
  }

  async redrive(): Promise<number> {
    const n = this.dead.length;
    for (const d of this.dead.splice(0)) await this.send(d.body);
    return n;
  }

  /** Everything not yet acked (visible or not). */
  bodies(): T[] {
    return this.live.map((m) => m.body);
  }
}

/** A queue factory that remembers what it made. */
export function memoryQueues(clock: ManualClock, maxReceiveCount = 5) {
  const made = new Map<string, MemoryQueue<any>>();
  const queueFor = <T>(name: string): MemoryQueue<T> => {
    let q = made.get(name);
    if (!q) made.set(name, (q = new MemoryQueue<T>(name, clock, maxReceiveCount)));
    return q;
  };
  return { queueFor, made };
}

/** Receives what is visible and settles each message with the step's outcome, as the worker loop does. */
export async function drain<T>(
  queue: Queue<T>,
  handle: (m: QueueMessage<T>) => Promise<HandleOutcome>,
): Promise<HandleOutcome[]> {
  const outcomes: HandleOutcome[] = [];
  for (const m of await queue.receive(1000, { visibilityTimeoutSeconds: 60 })) {
    const outcome = await handle(m);
    outcomes.push(outcome);
    if (outcome === 'ack') await queue.ack(m);
    else await queue.retryLater(m, outcome.retryAfterSeconds, outcome.error);
  }
  return outcomes;
}

export class MemoryHistory implements EventHistory {
  readonly events = new Map<string, StoredEvent>();
  async save(event: EnrichedEvent, rawBody: string, expiresAt: Date) {
    if (this.events.has(event.eventId)) return { inserted: false };
    this.events.set(event.eventId, { ...event, rawBody, expiresAt: expiresAt.toISOString() });
    return { inserted: true };
  }
  async get(eventId: string) {
    return this.events.get(eventId) ?? null;
  }
  add(...events: EnrichedEvent[]) {
    for (const e of events) void this.save(e, JSON.stringify(e.payload), new Date('2030-01-01T00:00:00Z'));
  }
  query(): never {
    throw new Error('not used');
  }
  report(): never {
    throw new Error('not used');
  }
  histogram(): never {
    throw new Error('not used');
  }
  purgeExpired(): never {
    throw new Error('not used');
  }
}

let n = 0;
export function makeEvent(over: Partial<EnrichedEvent> = {}): EnrichedEvent {
  n += 1;
  return {
    eventId: `evt_${String(n).padStart(6, '0')}`,
    source: 'grafana',
    receivedAt: '2026-03-01T10:00:00.000Z',
    enrichedAt: '2026-03-01T10:00:01.000Z',
    title: 'Disk almost full on db-1',
    summary: '/var/lib/postgres is 93% full',
    severity: 'critical',
    status: 'firing',
    service: 'billing-db',
    fingerprint: 'fp-disk-db-1',
    labels: { team: 'storage', env: 'prod', runbook: 'https://runbooks.example.com/disk-full' },
    enrichment: {},
    payload: { alert: 'disk' },
    ...over,
  };
}

export interface SinkRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
  json: any;
}

export type SinkAnswer = { status: number; headers?: Record<string, string>; body?: string } | 'hang';

/** A real HTTP server standing in for Slack, PagerDuty, Teams or a webhook receiver. */
export class Sink {
  readonly requests: SinkRequest[] = [];
  private answers: SinkAnswer[] = [];
  private fallback: SinkAnswer = { status: 200, body: 'ok' };
  private readonly hanging: ServerResponse[] = [];
  private server!: Server;
  url = '';

  static async start(): Promise<Sink> {
    const sink = new Sink();
    sink.server = createServer((req, res) => void sink.onRequest(req, res));
    await new Promise<void>((resolve) => sink.server.listen(0, '127.0.0.1', resolve));
    sink.url = `http://127.0.0.1:${(sink.server.address() as AddressInfo).port}`;
    return sink;
  }

  /** Answers the next requests in this order, then `fallback` (default 200 ok). */
  answer(...answers: SinkAnswer[]): this {
    this.answers.push(...answers);
    return this;
  }

  always(answer: SinkAnswer): this {
    this.fallback = answer;
    return this;
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    let json: unknown = undefined;
    try {
      json = JSON.parse(body);
    } catch {
      // not JSON
    }
    this.requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, json });
    const answer = this.answers.shift() ?? this.fallback;
    if (answer === 'hang') {
      this.hanging.push(res);
      return;
    }
    res.writeHead(answer.status, answer.headers ?? {});
    res.end(answer.body ?? '');
  }

  async stop() {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
