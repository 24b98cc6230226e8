/**
 * How batches and their outcomes cross to and from the writer thread. postMessage clones objects key by
 * key and strings one by one, and a send is almost every operation at ingest rates, so a send travels as
 * five plain values in one flat array (the other operations, rare, as themselves) with its body's length,
 * the bodies of the whole batch joined in one string, and its outcome as one number. Measured, posting
 * a send this way costs the main thread about a quarter of posting the operation object; the thread
 * rebuilds the operations on its own time.
 */
import type { OpOutcome, QueueOp } from './queue-writer-sql.ts';

export interface WireOps {
  /** `SEND, queue, body length, dedupId, visibleAt, sentAt` or `OTHER, op`, one after another. */
  ops: unknown[];
  /** The bodies of the sends, in order, end to end. */
  bodies: string;
}
const SEND = 0;
const OTHER = 1;

/** Per operation: a send's row id (negated when it was a duplicate) or another operation's value. */
export interface WireOutcomes {
  values: unknown[];
  /** Index and error of each operation that failed alone; null when none did. */
  errors: [number, { message: string; code?: string }][] | null;
}

export function encodeOps(ops: readonly QueueOp[]): WireOps {
  const wire: unknown[] = [];
  let bodies = '';
  for (const op of ops) {
    if (op.kind === 'send') {
      wire.push(SEND, op.queue, op.body.length, op.dedupId, op.visibleAt, op.sentAt);
      bodies += op.body;
    } else wire.push(OTHER, op);
  }
  return { ops: wire, bodies };
}

export function decodeOps({ ops: wire, bodies }: WireOps): QueueOp[] {
  const ops: QueueOp[] = [];
  let at = 0;
  for (let i = 0; i < wire.length;) {
    if (wire[i] === SEND) {
      const length = wire[i + 2] as number;
      ops.push({
        kind: 'send',
        queue: wire[i + 1] as string,
        body: bodies.slice(at, (at += length)),
        dedupId: wire[i + 3] as string | null,
        visibleAt: wire[i + 4] as number,
        sentAt: wire[i + 5] as number,
      });
      i += 6;
    } else {
      ops.push(wire[i + 1] as QueueOp);
      i += 2;
    }
  }
  return ops;
}

export function encodeOutcomes(ops: readonly QueueOp[], outcomes: readonly OpOutcome[]): WireOutcomes {
  const values: unknown[] = new Array(outcomes.length);
  let errors: WireOutcomes['errors'] = null;
  for (let i = 0; i < outcomes.length; i++) {
    const o = outcomes[i]!;
    if (!o.ok) {
      values[i] = null;
      (errors ??= []).push([i, o.error]);
    } else if (ops[i]!.kind === 'send') {
      const { id, duplicate } = o.value as { id: number; duplicate: boolean };
      values[i] = duplicate ? -id : id;
    } else values[i] = o.value;
  }
  return { values, errors };
}

export function decodeOutcomes(ops: readonly QueueOp[], wire: WireOutcomes): OpOutcome[] {
  const outcomes: OpOutcome[] = new Array(ops.length);
  for (let i = 0; i < ops.length; i++) {
    const v = wire.values[i];
    outcomes[i] = {
      ok: true,
      value: ops[i]!.kind === 'send' ? { id: Math.abs(v as number), duplicate: (v as number) < 0 } : v,
    };
  }
  if (wire.errors) for (const [i, error] of wire.errors) outcomes[i] = { ok: false, error };
  return outcomes;
}
