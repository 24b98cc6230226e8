/**
 * Runs the queue's batches on a worker thread with its own better-sqlite3 connection to the same file,
 * so that the fsync of each commit does not stall the HTTP event loop. The writer hands over as many
 * batches at once as its maxInFlight allows; the thread merges whatever is queued into one transaction.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { BatchExecutor } from './queue-writer.ts';
import type { OpOutcome, QueueOp } from './queue-writer-sql.ts';
import { decodeOutcomes, encodeOps, type WireOutcomes } from './queue-writer-wire.ts';

type Reply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'committed'; results: { seq: number; outcomes: WireOutcomes }[] }
  | { type: 'failed'; seqs: number[]; error: { message: string; code?: string } };

// The entry is TypeScript, and a worker does not inherit the parent's loader hooks: register tsx in it.
// Written to run both as a CommonJS and as an ES module script (a worker inherits --input-type).
const BOOTSTRAP = `
import('node:worker_threads').then(async ({ workerData, parentPort }) => {
  try {
    if (workerData.tsx) (await import(workerData.tsx)).register();
    await import(workerData.entry);
  } catch (e) {
    parentPort.postMessage({ type: 'fatal', message: String((e && e.stack) || e) });
  }
});
`;

interface Waiting {
  ops: QueueOp[];
  resolve(o: OpOutcome[]): void;
  reject(e: Error): void;
}

export class ThreadExecutor implements BatchExecutor {
  private seq = 0;
  private readonly waiting = new Map<number, Waiting>();
  private failure: Error | null = null;
  /** Transactions the thread committed (it may merge several batches into one). */
  transactions = 0;

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: Reply) => this.onReply(m));
    worker.on('error', (e) => this.fail(e));
    worker.on('exit', (code) => this.fail(new Error(`the queue writer thread exited (code ${code})`)));
    worker.unref();
  }

  /** Starts the thread, which opens (and migrates) `file`; resolves once it is ready. */
  static async start(file: string): Promise<ThreadExecutor> {
    const entry = new URL('./queue-writer-worker.ts', import.meta.url).href;
    const tsx = entry.endsWith('.ts') ? tsxApiUrl() : null;
    const worker = new Worker(BOOTSTRAP, { eval: true, workerData: { file, entry, tsx } });
    await new Promise<void>((resolve, reject) => {
      const onMessage = (m: Reply) => {
        if (m.type === 'ready') done(null);
        else if (m.type === 'fatal') done(new Error(`the queue writer thread failed to start: ${m.message}`));
      };
      const onExit = (code: number) => done(new Error(`the queue writer thread exited at start (code ${code})`));
      const done = (err: Error | null) => {
        worker.off('message', onMessage).off('error', done).off('exit', onExit);
        if (err) void worker.terminate().finally(() => reject(err));
        else resolve();
      };
      worker.on('message', onMessage).on('error', done).on('exit', onExit);
    });
    return new ThreadExecutor(worker);
  }

  execute(ops: QueueOp[]): Promise<OpOutcome[]> {
    if (this.failure) return Promise.reject(this.failure);
    const seq = ++this.seq;
    if (this.waiting.size === 0) this.worker.ref(); // keep the process alive until the commit answers
    return new Promise((resolve, reject) => {
      this.waiting.set(seq, { ops, resolve, reject });
      this.worker.postMessage({ type: 'batch', seq, ops: encodeOps(ops) });
    });
  }

  async close(): Promise<void> {
    if (this.failure) return;
    this.failure = new Error('the queue is closed');
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.ref();
    this.worker.postMessage({ type: 'close' });
    await exited;
  }

  private onReply(m: Reply) {
    if (m.type === 'fatal') return this.fail(new Error(m.message));
    if (m.type !== 'committed' && m.type !== 'failed') return;
    this.transactions += 1;
    if (m.type === 'committed') {
      for (const r of m.results) {
        const w = this.take(r.seq);
        w?.resolve(decodeOutcomes(w.ops, r.outcomes));
      }
    } else {
      const err = Object.assign(new Error(m.error.message), m.error.code ? { code: m.error.code } : {});
      for (const seq of m.seqs) this.take(seq)?.reject(err);
    }
    if (this.waiting.size === 0) this.worker.unref();
  }

  private take(seq: number): Waiting | undefined {
    const w = this.waiting.get(seq);
    this.waiting.delete(seq);
    return w;
  }

  private fail(err: Error) {
    this.failure ??= err;
    for (const w of this.waiting.values()) w.reject(err);
    this.waiting.clear();
  }
}

/** The ESM build of tsx's register API (its CommonJS build cannot register hooks from a worker). */
function tsxApiUrl(): string {
  if (typeof import.meta.resolve === 'function') return import.meta.resolve('tsx/esm/api');
  const cjs = createRequire(import.meta.url).resolve('tsx/esm/api');
  return pathToFileURL(cjs.replace(/\.cjs$/, '.mjs')).href;
}
