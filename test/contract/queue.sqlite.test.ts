import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.ts';
import { SqliteQueues } from '../../src/adapters/local/sqlite/queue.ts';
import { type BatchExecutor, GroupCommitWriter } from '../../src/adapters/local/sqlite/queue-writer.ts';
import type { OpOutcome, QueueOp } from '../../src/adapters/local/sqlite/queue-writer-sql.ts';
import { describeQueueContract, type QueueFixture } from './queue.contract.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

function sqliteFixture(writer: 'thread' | 'inline') {
  return async (): Promise<QueueFixture> => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-queue-'));
    const file = join(dir, 'cairn.db');
    const clock = new ManualClock();
    let queues = await SqliteQueues.open({ file, clock, writer });
    return {
      queue: (name, options) => queues.queue(name, options),
      advance: (ms) => clock.advance(ms),
      async reopen() {
        await queues.close();
        queues = await SqliteQueues.open({ file, clock, writer });
      },
      async cleanup() {
        await queues.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  };
}

describeQueueContract('SqliteQueue, writer thread', sqliteFixture('thread'));
describeQueueContract('SqliteQueue, inline writer', sqliteFixture('inline'));

/** An executor that records each batch and commits only when the test says so. */
function gatedExecutor() {
  const batches: QueueOp[][] = [];
  const gates: { resolve(o: OpOutcome[]): void; reject(e: Error): void; ops: QueueOp[] }[] = [];
  const executor: BatchExecutor = {
    execute: (ops) =>
      new Promise((resolve, reject) => {
        batches.push(ops);
        gates.push({ resolve, reject, ops });
      }),
    close: async () => {},
  };
  const commit = () => {
    const g = gates.shift()!;
    g.resolve(g.ops.map((_, i) => ({ ok: true, value: { id: i + 1, duplicate: false } })));
  };
  return { executor, batches, gates, commit };
}

const sendOp = (n: number): Extract<QueueOp, { kind: 'send' }> => ({
  kind: 'send',
  queue: 'events',
  body: JSON.stringify({ n }),
  dedupId: null,
  visibleAt: 0,
  sentAt: 0,
});

describe('SqliteQueue group commit', () => {
  it('commits the sends of one event-loop turn together and resolves them only after that commit', async () => {
    const g = gatedExecutor();
    const writer = new GroupCommitWriter(g.executor);
    let resolved = 0;
    const first = Array.from({ length: 50 }, (_, n) => writer.run(sendOp(n)).then(() => resolved++));
    await new Promise((r) => setImmediate(r));
    expect(g.batches.map((b) => b.length)).toEqual([50]);
    const second = Array.from({ length: 30 }, (_, n) => writer.run(sendOp(n)));
    await new Promise((r) => setTimeout(r, 20));
    expect(resolved).toBe(0);
    expect(g.batches).toHaveLength(1); // the next batch waits for the commit under way
    g.commit();
    await Promise.all(first);
    expect(resolved).toBe(50);
    expect(g.batches.map((b) => b.length)).toEqual([50, 30]);
    g.commit();
    await Promise.all(second);
  });

  it('caps a batch at maxBatch operations', async () => {
    const g = gatedExecutor();
    const writer = new GroupCommitWriter(g.executor, { maxBatch: 10, maxInFlight: 3 });
    const all = Array.from({ length: 25 }, (_, n) => writer.run(sendOp(n)));
    await new Promise((r) => setImmediate(r));
    expect(g.batches.map((b) => b.length)).toEqual([10, 10, 5]);
    g.commit();
    g.commit();
    g.commit();
    await Promise.all(all);
  });

  it('rejects every send of a batch whose commit failed', async () => {
    const g = gatedExecutor();
    const writer = new GroupCommitWriter(g.executor);
    const sends = Array.from({ length: 5 }, (_, n) => writer.run(sendOp(n)));
    await new Promise((r) => setImmediate(r));
    g.gates.shift()!.reject(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }));
    const results = await Promise.allSettled(sends);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
    expect((results[0] as PromiseRejectedResult).reason).toMatchObject({
      code: 'CAIRN_QUEUE_UNAVAILABLE',
      kind: 'unavailable',
      message: expect.stringContaining('disk is full'),
    });
  });

  it('commits a few hundred concurrent sends in a handful of transactions on the writer thread', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-queue-'));
    try {
      const queues = await SqliteQueues.open({ file: join(dir, 'q.db') });
      const q = queues.queue<{ n: number }>('events');
      const ids = await Promise.all(Array.from({ length: 300 }, (_, n) => q.send({ n })));
      expect(new Set(ids.map((r) => r.id)).size).toBe(300);
      await queues.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('SqliteQueue durability under kill -9', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cairn-queue-kill-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  // The child sends 5,000 messages, 50 at a time, printing each id once send() resolved; it is killed
  // with SIGKILL part-way. Every id it printed must be in the queue afterwards.
  const CHILD = `
    const { SqliteQueues } = await import(process.env.QUEUE_MODULE);
    const queues = await SqliteQueues.open({ file: process.env.QUEUE_FILE });
    const q = queues.queue('events');
    let next = 0;
    const sender = async () => {
      while (next < 5000) {
        const n = next++;
        const { id } = await q.send({ n, pad: 'x'.repeat(200) }, { dedupId: 'd' + n });
        process.stdout.write(id + '\\n');
      }
    };
    await Promise.all(Array.from({ length: 50 }, sender));
    await queues.close();
  `;

  it('keeps every send the child saw acknowledged', async () => {
    const file = join(dir, 'cairn.db');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', CHILD], {
      cwd: ROOT,
      env: {
        ...process.env,
        QUEUE_FILE: file,
        QUEUE_MODULE: new URL('../../src/adapters/local/sqlite/queue.ts', import.meta.url).href,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked: string[] = [];
    let partial = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const exited = new Promise<string | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      const lines = (partial + s).split('\n');
      partial = lines.pop()!;
      acked.push(...lines);
      if (acked.length >= 1500 && child.exitCode === null) child.kill('SIGKILL');
    });
    const signal = await exited;
    expect(signal, `the child ended on its own before being killed: ${stderr}`).toBe('SIGKILL');
    expect(acked.length).toBeGreaterThanOrEqual(1500);
    expect(acked.length).toBeLessThan(5000);

    const queues = await SqliteQueues.open({ file, writer: 'inline' });
    const q = queues.queue<{ n: number }>('events');
    const stored = new Set<string>();
    for (let batch = await q.receive(1000); batch.length > 0; batch = await q.receive(1000))
      batch.forEach((m) => stored.add(m.id));
    await queues.close();
    expect(acked.filter((id) => !stored.has(id))).toEqual([]);
    expect(stored.size).toBeGreaterThanOrEqual(acked.length);
  }, 60_000);
});
