/**
 * The queue writer thread (started by queue-writer-thread.ts): its own connection to the database file
 * (WAL, synchronous=FULL). Whatever batches have arrived by the time it is free are run together in one
 * immediate transaction; their outcomes are posted back, in one message, only after the commit returned,
 * i.e. after the fsync. With one batch in flight (the default) the next arrives once the main thread has
 * read that answer.
 */
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { openDatabase } from './db.ts';
import { type QueueOp, queueStatements } from './queue-writer-sql.ts';
import { decodeOps, encodeOutcomes, type WireOps } from './queue-writer-wire.ts';

type Request = { type: 'batch'; seq: number; ops: WireOps } | { type: 'close' };

/** Most operations merged into one transaction; the rest wait for the next one. */
const MAX_OPS = 4000;

const port = parentPort!;
const db = openDatabase((workerData as { file: string }).file);
const { runBatch } = queueStatements(db);

port.on('message', (first: Request) => {
  const batches: { seq: number; ops: QueueOp[] }[] = [];
  let ops = 0;
  let closing = false;
  for (let m: Request | undefined = first; m;) {
    if (m.type === 'close') {
      closing = true; // sent only once every batch was answered
      break;
    }
    const decoded = decodeOps(m.ops);
    batches.push({ seq: m.seq, ops: decoded });
    ops += decoded.length;
    if (ops >= MAX_OPS) break;
    m = receiveMessageOnPort(port)?.message as Request | undefined;
  }
  if (batches.length > 0) commit(batches);
  if (closing) {
    db.close();
    port.close();
  }
});
port.postMessage({ type: 'ready' });

function commit(batches: { seq: number; ops: QueueOp[] }[]) {
  const seqs = batches.map((b) => b.seq);
  try {
    const outcomes = runBatch(batches.length === 1 ? batches[0]!.ops : batches.flatMap((b) => b.ops));
    let at = 0;
    const results = batches.map((b) => ({
      seq: b.seq,
      outcomes: encodeOutcomes(b.ops, outcomes.slice(at, (at += b.ops.length))),
    }));
    port.postMessage({ type: 'committed', results });
  } catch (err) {
    const e = err as { message?: string; code?: string };
    const error = { message: String(e.message ?? err), ...(e.code ? { code: e.code } : {}) };
    port.postMessage({ type: 'failed', seqs, error });
  }
}
