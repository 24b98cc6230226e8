/**
 * The queue's SQL, as operations that a writer runs in batches: one `BEGIN IMMEDIATE … COMMIT` (one
 * fsync) per batch, whichever thread runs it. Everything an operation needs, the current time included,
 * travels inside it, so the same code runs on the caller's thread or on a writer thread.
 */
import { randomBytes } from 'node:crypto';
import type { QueueDepth } from '../../../ports/queue.ts';
import type { Db } from './db.ts';

export type QueueOp =
  | { kind: 'send'; queue: string; body: string; dedupId: string | null; visibleAt: number; sentAt: number }
  | { kind: 'receive'; queue: string; max: number; now: number; visibleUntil: number; maxReceiveCount: number }
  | { kind: 'ack'; queue: string; id: number; receipt: string }
  | { kind: 'retry'; queue: string; id: number; receipt: string; visibleAt: number; error: string | null }
  | { kind: 'depth'; queue: string; now: number }
  | { kind: 'listDead'; queue: string; after: [deadAt: number, id: number] | null; limit: number }
  | { kind: 'redrive'; queue: string; ids: number[] | null; now: number };

export interface ReceivedRow {
  id: number;
  body: string;
  receiveCount: number;
  receipt: string;
  sentAt: number;
}

export interface DeadRow {
  id: number;
  body: string;
  receiveCount: number;
  sentAt: number;
  deadAt: number;
  lastError: string | null;
}

export interface QueueOpResults {
  send: { id: number; duplicate: boolean };
  receive: ReceivedRow[];
  ack: boolean;
  retry: boolean;
  depth: QueueDepth;
  listDead: DeadRow[];
  redrive: number;
}

export type OpOutcome = { ok: true; value: unknown } | { ok: false; error: { message: string; code?: string } };

interface CandidateRow {
  id: number;
  body: string;
  receive_count: number;
  visible_at: number;
  sent_at: number;
}

export function queueStatements(db: Db) {
  const q = {
    insert: db.prepare(
      `INSERT INTO queue_messages (queue, body, dedup_id, receive_count, visible_at, sent_at, state)
       VALUES (?, ?, ?, 0, ?, ?, 'ready')
       ON CONFLICT (queue, dedup_id) WHERE dedup_id IS NOT NULL DO NOTHING`,
    ),
    byDedup: db.prepare('SELECT id FROM queue_messages WHERE queue = ? AND dedup_id = ?').pluck(),
    // Oldest-visible first; keyset on (visible_at, id) so one receive never sees a row twice.
    candidates: db.prepare(
      `SELECT id, body, receive_count, visible_at, sent_at FROM queue_messages
       WHERE queue = @queue AND state = 'ready' AND visible_at <= @now
         AND (visible_at > @va OR (visible_at = @va AND id > @id))
       ORDER BY visible_at, id LIMIT @limit`,
    ),
    claim: db.prepare(
      'UPDATE queue_messages SET receive_count = receive_count + 1, receipt = ?, visible_at = ? WHERE id = ?',
    ),
    kill: db.prepare(`UPDATE queue_messages SET state = 'dead', dead_at = ?, receipt = NULL WHERE id = ?`),
    ack: db.prepare(`DELETE FROM queue_messages WHERE id = ? AND queue = ? AND receipt = ? AND state = 'ready'`),
    retry: db.prepare(
      `UPDATE queue_messages SET visible_at = ?, receipt = NULL, last_error = COALESCE(?, last_error)
       WHERE id = ? AND queue = ? AND receipt = ? AND state = 'ready'`,
    ),
    depthReady: db.prepare(
      `SELECT COALESCE(SUM(visible_at <= @now), 0) AS visible,
              COALESCE(SUM(visible_at > @now AND receipt IS NOT NULL), 0) AS inFlight,
              COALESCE(SUM(visible_at > @now AND receipt IS NULL), 0) AS delayed
       FROM queue_messages WHERE queue = @queue AND state = 'ready'`,
    ),
    depthDead: db.prepare(`SELECT COUNT(*) FROM queue_messages WHERE queue = ? AND state = 'dead'`).pluck(),
    // Newest dead letters first.
    dead: db.prepare(
      `SELECT id, body, receive_count AS receiveCount, sent_at AS sentAt, dead_at AS deadAt, last_error AS lastError
       FROM queue_messages WHERE queue = @queue AND state = 'dead'
         AND (@deadAt IS NULL OR dead_at < @deadAt OR (dead_at = @deadAt AND id < @id))
       ORDER BY dead_at DESC, id DESC LIMIT @limit`,
    ),
    redriveAll: db.prepare(
      `UPDATE queue_messages SET state = 'ready', receive_count = 0, visible_at = ?, dead_at = NULL, receipt = NULL
       WHERE queue = ? AND state = 'dead'`,
    ),
    redriveOne: db.prepare(
      `UPDATE queue_messages SET state = 'ready', receive_count = 0, visible_at = ?, dead_at = NULL, receipt = NULL
       WHERE id = ? AND queue = ? AND state = 'dead'`,
    ),
  };

  function receive(op: Extract<QueueOp, { kind: 'receive' }>): ReceivedRow[] {
    const out: ReceivedRow[] = [];
    let va = -1;
    let lastId = 0;
    for (;;) {
      const want = op.max - out.length;
      const rows = q.candidates.all({ queue: op.queue, now: op.now, va, id: lastId, limit: want }) as CandidateRow[];
      for (const row of rows) {
        [va, lastId] = [row.visible_at, row.id];
        // SQS semantics: a message already received maxReceiveCount times moves to the dead-letter
        // queue on the next receive instead of being delivered again.
        if (row.receive_count >= op.maxReceiveCount) {
          q.kill.run(op.now, row.id);
          continue;
        }
        const receipt = randomBytes(12).toString('base64url');
        q.claim.run(receipt, op.visibleUntil, row.id);
        out.push({ id: row.id, body: row.body, receiveCount: row.receive_count + 1, receipt, sentAt: row.sent_at });
      }
      if (rows.length < want || out.length >= op.max) return out;
    }
  }

  function run(op: QueueOp): unknown {
    switch (op.kind) {
      case 'send': {
        const info = q.insert.run(op.queue, op.body, op.dedupId, op.visibleAt, op.sentAt);
        if (info.changes === 1) return { id: Number(info.lastInsertRowid), duplicate: false };
        return { id: q.byDedup.get(op.queue, op.dedupId) as number, duplicate: true };
      }
      case 'receive':
        return receive(op);
      case 'ack':
        return q.ack.run(op.id, op.queue, op.receipt).changes === 1;
      case 'retry':
        return q.retry.run(op.visibleAt, op.error, op.id, op.queue, op.receipt).changes === 1;
      case 'depth': {
        const r = q.depthReady.get({ queue: op.queue, now: op.now }) as Omit<QueueDepth, 'dead'>;
        return {
          visible: r.visible,
          inFlight: r.inFlight,
          delayed: r.delayed,
          dead: q.depthDead.get(op.queue) as number,
        };
      }
      case 'listDead':
        return q.dead.all({
          queue: op.queue,
          deadAt: op.after?.[0] ?? null,
          id: op.after?.[1] ?? null,
          limit: op.limit,
        });
      case 'redrive': {
        if (op.ids === null) return q.redriveAll.run(op.now, op.queue).changes;
        let n = 0;
        for (const id of op.ids) n += q.redriveOne.run(op.now, id, op.queue).changes;
        return n;
      }
    }
  }

  /**
   * Runs a batch in one immediate transaction: one commit, one fsync. An operation that fails alone is
   * reported alone; a failure that ends the transaction (disk full, I/O error) or a failed commit rejects
   * the whole batch, since none of it is durable.
   */
  const batch = db.transaction((ops: QueueOp[]): OpOutcome[] =>
    ops.map((op) => {
      try {
        return { ok: true, value: run(op) };
      } catch (err) {
        if (!db.inTransaction) throw err;
        const e = err as { message?: string; code?: string };
        return { ok: false, error: { message: String(e.message ?? err), ...(e.code ? { code: e.code } : {}) } };
      }
    }),
  );

  return { runBatch: (ops: QueueOp[]): OpOutcome[] => batch.immediate(ops) };
}
