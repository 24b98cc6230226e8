/**
 * Group commit for the queue. Operations submitted while a commit is under way (or within the same
 * event-loop turn) are collected and run as the next batch: one transaction and one fsync for all of
 * them, and every promise resolves only after that commit. The batch runs on an executor: inline (this
 * thread's connection; the fsync blocks this thread) or a writer thread (queue-writer-thread.ts).
 */
import { CairnError } from '../../../core/errors.ts';
import type { Db } from './db.ts';
import { type OpOutcome, type QueueOp, type QueueOpResults, queueStatements } from './queue-writer-sql.ts';

export interface BatchExecutor {
  /** Runs the operations in one transaction; rejects when that transaction did not commit. */
  execute(ops: QueueOp[]): Promise<OpOutcome[]>;
  close(): Promise<void>;
}

export interface GroupCommitOptions {
  /** Most operations per transaction. */
  maxBatch?: number;
  /** Batches handed to the executor before the first one commits (a thread can queue the next one). */
  maxInFlight?: number;
}

interface Pending {
  op: QueueOp;
  resolve(value: unknown): void;
  reject(err: unknown): void;
}

export const queueUnavailable = (message: string, cause?: unknown) =>
  new CairnError('CAIRN_QUEUE_UNAVAILABLE', 'unavailable', `The queue could not store the change: ${message}`, {
    cause,
  });

export class GroupCommitWriter {
  private pending: Pending[] = [];
  private inFlight = 0;
  private scheduled = false;
  private closed = false;
  private idle: (() => void) | null = null;
  private counts = { batches: 0, ops: 0, commitMs: 0 };
  private readonly maxBatch: number;
  private readonly maxInFlight: number;

  constructor(
    private readonly executor: BatchExecutor,
    options: GroupCommitOptions = {},
  ) {
    this.maxBatch = options.maxBatch ?? 1000;
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  run<K extends QueueOp['kind']>(op: Extract<QueueOp, { kind: K }>): Promise<QueueOpResults[K]> {
    if (this.closed) return Promise.reject(queueUnavailable('the queue is closed'));
    return new Promise((resolve, reject) => {
      this.pending.push({ op, resolve: resolve as (v: unknown) => void, reject });
      if (this.pending.length >= this.maxBatch) this.flush();
      else this.schedule();
    });
  }

  /**
   * Transactions run, operations in them (ops / batches is the mean group size) and the time from handing
   * each batch to the executor to its commit, summed (commitMs / batches is the mean commit latency).
   */
  stats(): { batches: number; ops: number; commitMs: number } {
    return { ...this.counts };
  }

  /** Waits for every submitted operation to commit, then closes the executor. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.flush();
    if (this.inFlight > 0 || this.pending.length > 0) await new Promise<void>((r) => (this.idle = r));
    await this.executor.close();
  }

  private schedule() {
    if (this.scheduled || this.inFlight >= this.maxInFlight) return;
    this.scheduled = true;
    // setImmediate runs after the I/O callbacks of this turn: every request parsed in it joins the batch.
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush() {
    while (this.pending.length > 0 && this.inFlight < this.maxInFlight) {
      const batch = this.pending.splice(0, this.maxBatch);
      this.inFlight += 1;
      this.counts.batches += 1;
      this.counts.ops += batch.length;
      const started = performance.now();
      this.executor.execute(batch.map((p) => p.op)).then(
        (outcomes) => this.settle(batch, started, outcomes),
        (err: unknown) => this.settle(batch, started, null, err),
      );
    }
  }

  private settle(batch: Pending[], started: number, outcomes: OpOutcome[] | null, err?: unknown) {
    this.inFlight -= 1;
    this.counts.commitMs += performance.now() - started;
    batch.forEach((p, i) => {
      const o = outcomes?.[i];
      if (o?.ok) p.resolve(o.value);
      else if (o) p.reject(queueUnavailable(o.error.message, o.error));
      else p.reject(queueUnavailable(err instanceof Error ? err.message : String(err), err));
    });
    // What arrived during that commit is the next batch; start it now rather than a turn later.
    if (this.pending.length > 0) this.flush();
    else if (this.inFlight === 0 && this.idle) this.idle();
  }
}

/** Runs batches on the given connection, on this thread. */
export function inlineExecutor(db: Db, options: { closeDb?: boolean } = {}): BatchExecutor {
  const { runBatch } = queueStatements(db);
  return {
    execute(ops) {
      try {
        return Promise.resolve(runBatch(ops));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    async close() {
      if (options.closeDb) db.close();
    },
  };
}
