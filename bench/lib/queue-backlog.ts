/**
 * Samples the backlog of each named queue in a running server's queue database (data/queue.db), read-only
 * from this process: a stage that cannot keep up shows as the queue in front of it growing. WAL lets
 * this reader look without blocking the server's writer.
 */
import Database from 'better-sqlite3';

export interface BacklogSampler {
  /** Messages waiting (ready, visible or not) per queue now. */
  now(): Record<string, number>;
  /** The largest backlog seen per queue since start. */
  peak: Record<string, number>;
  stop(): void;
}

export function sampleBacklog(file: string, everyMs = 1000): BacklogSampler {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  const count = db.prepare(`SELECT queue, COUNT(*) AS n FROM queue_messages WHERE state = 'ready' GROUP BY queue`);
  const peak: Record<string, number> = {};
  const now = () => {
    const out: Record<string, number> = {};
    for (const r of count.all() as { queue: string; n: number }[]) {
      out[r.queue] = r.n;
      peak[r.queue] = Math.max(peak[r.queue] ?? 0, r.n);
    }
    return out;
  };
  const timer = setInterval(now, everyMs);
  return {
    now,
    peak,
    stop() {
      clearInterval(timer);
      db.close();
    },
  };
}
