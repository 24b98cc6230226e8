/**
 * The local durable queue: SQS semantics over one SQLite table shared by every named queue (`events`,
 * `notify`, `channel:<name>`, `sub:<name>`). Writes go through group commit (queue-writer.ts): a send
 * resolves only once its row is committed and fsync'd, and concurrent sends share that commit. Bodies are
 * JSON, a webhook's raw body kept apart from it (queue-body.ts).
 *
 * Dead letters follow SQS's redrive policy: maxReceiveCount is how many times a message may be received;
 * the receive after the last allowed one moves it to the dead-letter state instead of returning it.
 */
import { type Clock, systemClock } from '../../../core/clock.ts';
import { invalid } from '../../../core/errors.ts';
import type { DeadLetter, Queue, QueueDepth, QueueMessage, SendOptions } from '../../../ports/queue.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import { decodeBody, encodeBody } from './queue-body.ts';
import { type Db, openDatabase } from './db.ts';
import { GroupCommitWriter, type GroupCommitOptions, inlineExecutor } from './queue-writer.ts';
import { ThreadExecutor } from './queue-writer-thread.ts';

export interface SqliteQueueOptions {
  /** Receives allowed before a message moves to the dead-letter state (SQS redrive maxReceiveCount). */
  maxReceiveCount?: number;
  /** How long a received message stays hidden unless receive() says otherwise. */
  visibilityTimeoutSeconds?: number;
}

const MAX_RECEIVE_BATCH = 1000;

export class SqliteQueue<T> implements Queue<T> {
  private readonly maxReceiveCount: number;
  private readonly visibilityTimeoutMs: number;

  constructor(
    readonly name: string,
    private readonly writer: GroupCommitWriter,
    private readonly clock: Clock = systemClock,
    options: SqliteQueueOptions = {},
  ) {
    this.maxReceiveCount = options.maxReceiveCount ?? 5;
    this.visibilityTimeoutMs = seconds(options.visibilityTimeoutSeconds ?? 30, 'visibilityTimeoutSeconds');
    if (!Number.isInteger(this.maxReceiveCount) || this.maxReceiveCount < 1)
      throw new RangeError('maxReceiveCount must be a whole number from 1');
  }

  async send(body: T, options: SendOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    const now = this.clock.now().getTime();
    const r = await this.writer.run({
      kind: 'send',
      queue: this.name,
      body: encodeBody(body),
      dedupId: options.dedupId ?? null,
      visibleAt: now + seconds(options.delaySeconds ?? 0, 'delaySeconds'),
      sentAt: now,
    });
    return { id: String(r.id), duplicate: r.duplicate };
  }

  async receive(max: number, options: { visibilityTimeoutSeconds?: number } = {}): Promise<QueueMessage<T>[]> {
    if (!Number.isInteger(max) || max < 1 || max > MAX_RECEIVE_BATCH)
      throw new RangeError(`receive(max): a whole number from 1 to ${MAX_RECEIVE_BATCH}`);
    const now = this.clock.now().getTime();
    const timeout =
      options.visibilityTimeoutSeconds === undefined
        ? this.visibilityTimeoutMs
        : seconds(options.visibilityTimeoutSeconds, 'visibilityTimeoutSeconds');
    const rows = await this.writer.run({
      kind: 'receive',
      queue: this.name,
      max,
      now,
      visibleUntil: now + timeout,
      maxReceiveCount: this.maxReceiveCount,
    });
    return rows.map((r) => ({
      id: String(r.id),
      body: decodeBody<T>(r.body),
      receiveCount: r.receiveCount,
      receipt: r.receipt,
      sentAt: new Date(r.sentAt),
    }));
  }

  async ack(message: QueueMessage<T>): Promise<void> {
    const id = messageId(message.id);
    if (id === null) return;
    await this.writer.run({ kind: 'ack', queue: this.name, id, receipt: message.receipt });
  }

  async retryLater(message: QueueMessage<T>, delaySeconds: number, error?: string): Promise<void> {
    const id = messageId(message.id);
    if (id === null) return;
    await this.writer.run({
      kind: 'retry',
      queue: this.name,
      id,
      receipt: message.receipt,
      visibleAt: this.clock.now().getTime() + seconds(delaySeconds, 'delaySeconds'),
      error: error === undefined ? null : error.slice(0, 4000),
    });
  }

  depth(): Promise<QueueDepth> {
    return this.writer.run({ kind: 'depth', queue: this.name, now: this.clock.now().getTime() });
  }

  async listDead(page: PageRequest): Promise<Page<DeadLetter<T>>> {
    const limit = pageLimit(page.limit);
    const key = decodeCursor(page.cursor);
    if (key && (key.length !== 2 || !key.every((k) => typeof k === 'number')))
      throw invalid('CAIRN_INVALID_CURSOR', 'cursor is not one this API returned: start again without it.');
    const rows = await this.writer.run({
      kind: 'listDead',
      queue: this.name,
      after: key ? [key[0] as number, key[1] as number] : null,
      limit: limit + 1,
    });
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id),
      body: decodeBody<T>(r.body),
      receiveCount: r.receiveCount,
      sentAt: new Date(r.sentAt),
      deadAt: new Date(r.deadAt),
      lastError: r.lastError,
    }));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return { items, ...(last ? { cursor: encodeCursor([last.deadAt, last.id]) } : {}) };
  }

  redrive(ids?: string[]): Promise<number> {
    const parsed = ids?.map(messageId).filter((id): id is number => id !== null) ?? null;
    if (parsed && parsed.length === 0) return Promise.resolve(0);
    return this.writer.run({ kind: 'redrive', queue: this.name, ids: parsed, now: this.clock.now().getTime() });
  }
}

export interface OpenQueuesOptions {
  /** The SQLite file (WAL, synchronous=FULL). The `thread` writer needs a real file. */
  file: string;
  clock?: Clock;
  /**
   * `thread` (default): commits run on a worker thread with its own connection, so the fsync never blocks
   * this event loop. `inline`: commits run here, on `db` if given (for tests and tools).
   */
  writer?: 'thread' | 'inline';
  db?: Db;
  groupCommit?: GroupCommitOptions;
}

/** Every named queue in one database file, sharing one writer (and so one commit per batch). */
export class SqliteQueues {
  private constructor(
    private readonly writer: GroupCommitWriter,
    private readonly clock: Clock,
    private readonly thread?: ThreadExecutor,
  ) {}

  static async open(options: OpenQueuesOptions): Promise<SqliteQueues> {
    if (options.writer === 'inline') {
      const executor = inlineExecutor(options.db ?? openDatabase(options.file), { closeDb: !options.db });
      return new SqliteQueues(new GroupCommitWriter(executor, options.groupCommit), options.clock ?? systemClock);
    }
    // One batch in flight: what arrives during a commit is handed over whole when it answers. Handing a
    // batch over every event-loop turn instead (the thread merges them) cost more main-thread CPU per send
    // in bench/alerts-ingest.ts (a message and a thread wake-up per turn, smaller transactions).
    const thread = await ThreadExecutor.start(options.file);
    const writer = new GroupCommitWriter(thread, options.groupCommit);
    return new SqliteQueues(writer, options.clock ?? systemClock, thread);
  }

  queue<T>(name: string, options: SqliteQueueOptions = {}): SqliteQueue<T> {
    return new SqliteQueue<T>(name, this.writer, this.clock, options);
  }

  /** Transactions committed and operations in them, for benchmarks and metrics. */
  stats(): { batches: number; transactions: number; ops: number; commitMs: number } {
    const s = this.writer.stats();
    return { ...s, transactions: this.thread?.transactions ?? s.batches };
  }

  /** Waits for every pending write to commit, then closes the writer. */
  close(): Promise<void> {
    return this.writer.close();
  }
}

function seconds(value: number, what: string): number {
  if (!Number.isFinite(value) || value < 0) throw new RangeError(`${what} must be a number of seconds from 0`);
  return Math.round(value * 1000);
}

function messageId(id: string): number | null {
  return /^[1-9]\d{0,15}$/.test(id) ? Number(id) : null;
}
