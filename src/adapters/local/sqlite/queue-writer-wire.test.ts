import { describe, expect, it } from 'vitest';
import type { OpOutcome, QueueOp } from './queue-writer-sql.ts';
import { decodeOps, decodeOutcomes, encodeOps, encodeOutcomes } from './queue-writer-wire.ts';

const ops: QueueOp[] = [
  { kind: 'send', queue: 'events', body: '{"a":1}\nraw', dedupId: 'grafana:msg_1', visibleAt: 5, sentAt: 4 },
  { kind: 'receive', queue: 'events', max: 10, now: 5, visibleUntil: 35, maxReceiveCount: 3 },
  { kind: 'send', queue: 'notify', body: '{"t":"é🔥\u0000"}\n🔥', dedupId: null, visibleAt: 6, sentAt: 6 },
  { kind: 'send', queue: 'notify', body: '', dedupId: null, visibleAt: 6, sentAt: 6 },
  { kind: 'send', queue: 'events', body: '{}', dedupId: 'grafana:msg_1', visibleAt: 7, sentAt: 7 },
  { kind: 'redrive', queue: 'events', ids: [1, 2], now: 8 },
  { kind: 'send', queue: 'events', body: '{}', dedupId: 'x', visibleAt: 9, sentAt: 9 },
];

const outcomes: OpOutcome[] = [
  { ok: true, value: { id: 41, duplicate: false } },
  { ok: true, value: [{ id: 1, body: '{}', receiveCount: 1, receipt: 'r', sentAt: 4 }] },
  { ok: true, value: { id: 42, duplicate: false } },
  { ok: true, value: { id: 43, duplicate: false } },
  { ok: true, value: { id: 41, duplicate: true } },
  { ok: true, value: 2 },
  { ok: false, error: { message: 'UNIQUE constraint failed', code: 'SQLITE_CONSTRAINT' } },
];

describe('the writer thread wire format', () => {
  it('carries every kind of operation across, in order', () => {
    const wire = structuredClone(encodeOps(ops));
    expect(decodeOps(wire)).toEqual(ops);
  });

  it('carries outcomes back: send ids, duplicates, other values and errors, each at its index', () => {
    const wire = structuredClone(encodeOutcomes(ops, outcomes));
    expect(decodeOutcomes(ops, wire)).toEqual(outcomes);
    expect(encodeOutcomes(ops.slice(0, 1), outcomes.slice(0, 1)).errors).toBeNull();
  });
});
