/**
 * The Queue contract (SQS semantics): every adapter (SQLite locally, SQS against a mocked client) runs
 * this same suite, so workers can rely on one behaviour whichever runtime they are in.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Queue } from '../../src/ports/queue.ts';

export interface QueueFixture {
  /** A queue on the fixture's storage; call again after reopen() for a fresh handle. */
  queue<T>(name: string, options?: { maxReceiveCount?: number; visibilityTimeoutSeconds?: number }): Queue<T>;
  /** Moves the clock the queue reads. */
  advance(ms: number): void;
  /** Closes the adapter and opens it again on the same storage. */
  reopen(): Promise<void>;
  cleanup(): Promise<void>;
}

type Job = { n: number; text?: string };
const sec = 1000;

export function describeQueueContract(name: string, makeFixture: () => Promise<QueueFixture>): void {
  describe(`Queue contract: ${name}`, () => {
    let f: QueueFixture;
    let q: Queue<Job>;
    beforeEach(async () => {
      f = await makeFixture();
      q = f.queue<Job>('events', { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 });
    });
    afterEach(async () => {
      await f.cleanup();
    });

    const drain = async (queue: Queue<Job> = q) => {
      const all = [];
      for (let batch = await queue.receive(10); batch.length > 0; batch = await queue.receive(10)) all.push(...batch);
      return all;
    };

    it('gives back what was sent, and forgets it once acked', async () => {
      const sent = await q.send({ n: 1, text: 'héllo ✓ \u0000\u001f "quoted"' });
      expect(sent).toEqual({ id: expect.any(String), duplicate: false });
      const [m, ...rest] = await q.receive(10);
      expect(rest).toEqual([]);
      expect(m).toMatchObject({ id: sent.id, body: { n: 1, text: 'héllo ✓ \u0000\u001f "quoted"' }, receiveCount: 1 });
      expect(m!.receipt).toEqual(expect.any(String));
      expect(m!.sentAt).toBeInstanceOf(Date);
      expect(Number.isNaN(m!.sentAt.getTime())).toBe(false);
      await q.ack(m!);
      f.advance(31 * sec);
      expect(await q.receive(10)).toEqual([]);
      expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0, dead: 0 });
    });

    it('hands out the oldest messages first, no more than asked', async () => {
      for (let n = 0; n < 5; n++) await q.send({ n });
      expect((await q.receive(3)).map((m) => m.body.n)).toEqual([0, 1, 2]);
      expect((await q.receive(3)).map((m) => m.body.n)).toEqual([3, 4]);
    });

    it('hides a received message until its visibility timeout passes, then redelivers it with receiveCount + 1', async () => {
      await q.send({ n: 1 });
      const [first] = await q.receive(1);
      expect(await q.receive(1)).toEqual([]);
      f.advance(29 * sec);
      expect(await q.receive(1)).toEqual([]);
      f.advance(2 * sec);
      const [again] = await q.receive(1);
      expect(again).toMatchObject({ id: first!.id, receiveCount: 2, body: { n: 1 } });
      expect(again!.receipt).not.toBe(first!.receipt);
    });

    it('uses the visibility timeout given to receive over the queue default', async () => {
      await q.send({ n: 1 });
      await q.receive(1, { visibilityTimeoutSeconds: 5 });
      f.advance(6 * sec);
      expect(await q.receive(1)).toHaveLength(1);
    });

    it('keeps a message sent with delaySeconds hidden until the delay passed', async () => {
      await q.send({ n: 1 }, { delaySeconds: 10 });
      expect(await q.receive(1)).toEqual([]);
      expect((await q.depth()).delayed).toBe(1);
      f.advance(10 * sec);
      expect(await q.receive(1)).toHaveLength(1);
    });

    it('makes a message visible again after retryLater, and records the error', async () => {
      await q.send({ n: 1 });
      const [m] = await q.receive(1);
      await q.retryLater(m!, 10, 'upstream said 503');
      expect(await q.depth()).toMatchObject({ visible: 0, inFlight: 0, delayed: 1 });
      f.advance(9 * sec);
      expect(await q.receive(1)).toEqual([]);
      f.advance(1 * sec);
      const [again] = await q.receive(1);
      expect(again).toMatchObject({ id: m!.id, receiveCount: 2 });
      await q.retryLater(again!, 0, 'still 503');
      const [third] = await q.receive(1);
      await q.retryLater(third!, 0);
      expect(await q.receive(1)).toEqual([]);
      const dead = await q.listDead({});
      expect(dead.items).toEqual([expect.objectContaining({ id: m!.id, receiveCount: 3, lastError: 'still 503' })]);
    });

    it('moves a message to the dead-letter queue on the receive after the maxReceiveCount-th', async () => {
      const { id } = await q.send({ n: 7 });
      for (let i = 1; i <= 3; i++) {
        const [m] = await q.receive(1);
        expect(m).toMatchObject({ id, receiveCount: i });
        f.advance(31 * sec);
      }
      expect(await q.receive(1)).toEqual([]);
      expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0, dead: 1 });
      const dead = await q.listDead({});
      expect(dead.items).toEqual([
        { id, body: { n: 7 }, receiveCount: 3, sentAt: expect.any(Date), deadAt: expect.any(Date), lastError: null },
      ]);
      expect(dead.cursor).toBeUndefined();
    });

    it('does not let a poison message block the others', async () => {
      await q.send({ n: 0, text: 'poison' });
      for (let n = 1; n <= 4; n++) await q.send({ n });
      const done: number[] = [];
      for (let round = 0; round < 10; round++) {
        for (const m of await q.receive(2)) {
          if (m.body.text === 'poison') await q.retryLater(m, 0, 'cannot parse');
          else {
            done.push(m.body.n);
            await q.ack(m);
          }
        }
      }
      expect(done.sort()).toEqual([1, 2, 3, 4]);
      expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0, dead: 1 });
      // A dying message does not take a slot either: receive fills up with healthy ones.
      await q.redrive();
      for (let i = 0; i < 3; i++) {
        const [m] = await q.receive(1);
        await q.retryLater(m!, 0);
      }
      await q.send({ n: 5 });
      await q.send({ n: 6 });
      expect((await q.receive(2)).map((m) => m.body.n)).toEqual([5, 6]);
    });

    it('redrives dead letters, all or some, with a fresh receive count', async () => {
      const ids: string[] = [];
      for (let n = 0; n < 3; n++) ids.push((await q.send({ n })).id);
      for (let i = 0; i < 4; i++) {
        for (const m of await q.receive(10)) await q.retryLater(m, 0, `fail ${i}`);
      }
      expect((await q.depth()).dead).toBe(3);
      expect(await q.redrive([ids[1]!, 'no-such-id'])).toBe(1);
      const [back] = await q.receive(10);
      expect(back).toMatchObject({ id: ids[1], receiveCount: 1, body: { n: 1 } });
      await q.ack(back!);
      expect(await q.redrive()).toBe(2);
      expect(await q.redrive()).toBe(0);
      expect((await q.receive(10)).map((m) => [m.id, m.receiveCount])).toEqual([
        [ids[0], 1],
        [ids[2], 1],
      ]);
      expect((await q.depth()).dead).toBe(0);
    });

    it('drops a send whose dedupId it already holds and returns the first id', async () => {
      const first = await q.send({ n: 1 }, { dedupId: 'grafana:abc' });
      const second = await q.send({ n: 2 }, { dedupId: 'grafana:abc' });
      expect(second).toEqual({ id: first.id, duplicate: true });
      const concurrent = await Promise.all([1, 2, 3].map((n) => q.send({ n }, { dedupId: 'grafana:same-tick' })));
      expect(new Set(concurrent.map((r) => r.id)).size).toBe(1);
      expect(concurrent.filter((r) => !r.duplicate)).toHaveLength(1);
      const other = f.queue<Job>('notify');
      expect((await other.send({ n: 1 }, { dedupId: 'grafana:abc' })).duplicate).toBe(false);
      expect(await drain()).toHaveLength(2);
    });

    it('accepts a dedupId again once the message that held it was acked', async () => {
      const first = await q.send({ n: 1 }, { dedupId: 'k' });
      const [m] = await q.receive(1);
      await q.ack(m!);
      const again = await q.send({ n: 2 }, { dedupId: 'k' });
      expect(again.duplicate).toBe(false);
      expect(again.id).not.toBe(first.id);
    });

    it('ignores ack and retryLater with a stale receipt', async () => {
      await q.send({ n: 1 });
      const [old] = await q.receive(1);
      f.advance(31 * sec);
      const [fresh] = await q.receive(1);
      await q.ack(old!);
      await q.retryLater(old!, 0, 'stale');
      expect(await q.depth()).toMatchObject({ inFlight: 1, visible: 0 });
      await q.ack({ ...fresh!, id: '999999' });
      await q.ack({ ...fresh!, id: 'not-an-id' });
      expect(await q.depth()).toMatchObject({ inFlight: 1 });
      await q.ack(fresh!);
      expect(await q.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0, dead: 0 });
    });

    it('counts visible, in-flight, delayed and dead messages', async () => {
      for (let n = 0; n < 4; n++) await q.send({ n });
      await q.send({ n: 9 }, { delaySeconds: 60 });
      const [a, b] = await q.receive(2);
      await q.retryLater(b!, 120);
      expect(await q.depth()).toEqual({ visible: 2, inFlight: 1, delayed: 2, dead: 0 });
      await q.ack(a!);
      const poisoned = f.queue<Job>('sub:poison', { maxReceiveCount: 1 });
      await poisoned.send({ n: 1 });
      await poisoned.retryLater((await poisoned.receive(1))[0]!, 0);
      await poisoned.receive(1);
      expect(await poisoned.depth()).toEqual({ visible: 0, inFlight: 0, delayed: 0, dead: 1 });
      expect(await q.depth()).toEqual({ visible: 2, inFlight: 0, delayed: 2, dead: 0 });
    });

    it('lists dead letters page by page with an opaque cursor', async () => {
      const dlq = f.queue<Job>('channel:slack', { maxReceiveCount: 1 });
      for (let n = 0; n < 5; n++) await dlq.send({ n });
      for (const m of await dlq.receive(10)) await dlq.retryLater(m, 0, `error ${m.body.n}`);
      expect(await dlq.receive(10)).toEqual([]);
      const seen: number[] = [];
      let cursor: string | undefined;
      do {
        const page = await dlq.listDead({ limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((d) => d.body.n));
        cursor = page.cursor;
      } while (cursor);
      expect(seen.sort()).toEqual([0, 1, 2, 3, 4]);
      await expect(dlq.listDead({ cursor: 'not-a-cursor' })).rejects.toMatchObject({ code: 'CAIRN_INVALID_CURSOR' });
    });

    it('keeps named queues apart', async () => {
      const notify = f.queue<Job>('notify');
      await q.send({ n: 1 });
      await notify.send({ n: 2 });
      expect((await notify.receive(10)).map((m) => m.body.n)).toEqual([2]);
      expect((await q.receive(10)).map((m) => m.body.n)).toEqual([1]);
    });

    it('keeps every acknowledged send across a close and reopen', async () => {
      const N = 500;
      const sent = await Promise.all(Array.from({ length: N }, (_, n) => q.send({ n }, { dedupId: `d${n}` })));
      await f.reopen();
      q = f.queue<Job>('events', { maxReceiveCount: 3, visibilityTimeoutSeconds: 30 });
      expect((await q.depth()).visible).toBe(N);
      const got = await drain();
      expect(new Set(got.map((m) => m.id))).toEqual(new Set(sent.map((s) => s.id)));
      expect(got.map((m) => m.body.n).sort((x, y) => x - y)).toEqual(Array.from({ length: N }, (_, n) => n));
    });
  });
}
