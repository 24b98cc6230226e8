/** Delivery to channels: retries with backoff, idempotence per (event, channel), timeouts, 429, DLQ. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { drain, makeEvent, Sink } from './notify-helpers.ts';
import { senderWorld } from './notify-setup.ts';

describe('channel delivery', () => {
  let slack: Sink;
  let hook: Sink;
  let pd: Sink;
  let world: ReturnType<typeof senderWorld>;

  beforeEach(async () => {
    [slack, hook, pd] = await Promise.all([Sink.start(), Sink.start(), Sink.start()]);
    world = senderWorld(
      {
        slack: { type: 'slack', url: slack.url },
        hook: { type: 'webhook', url: hook.url, secret: null },
        pd: { type: 'pagerduty', url: pd.url, routingKey: 'KEY' },
      },
      { timeoutMs: 300, maxReceiveCount: 3 },
    );
  });
  afterEach(async () => {
    await Promise.all([slack.stop(), hook.stop(), pd.stop()]);
    world.cleanup();
  });

  const run = (channel: string) => drain(world.queueFor(channel), (m) => world.sender.handle(m));

  it('retries a channel answering 500 until it succeeds, without re-sending to a channel that already succeeded', async () => {
    hook.answer({ status: 500, body: 'upstream down' }, { status: 502 });
    const e = makeEvent();
    const message = await world.notify('hook', [e]);
    await world.notify('slack', [e], { id: message.id });

    expect(await run('slack')).toEqual(['ack']);
    const [first] = await run('hook');
    expect(first).toEqual({ retryAfterSeconds: 1, error: 'HTTP 500: upstream down' });
    world.clock.advance(1000);
    expect(await run('hook')).toEqual([{ retryAfterSeconds: 2, error: 'HTTP 502' }]);
    world.clock.advance(1000);
    expect(await run('hook')).toEqual([]); // not visible again before its backoff
    world.clock.advance(1000);
    expect(await run('hook')).toEqual(['ack']);

    // At-least-once: the Slack notification is delivered again (a redelivery, a duplicate send).
    await world.queueFor('slack').send({ ...message, channel: 'slack' });
    expect(await run('slack')).toEqual(['ack']);

    expect(slack.requests).toHaveLength(1);
    expect(hook.requests).toHaveLength(3);
    const records = await world.deliveries.listForEvent(e.eventId);
    expect(records.map((r) => [r.target, r.status, r.attempts, r.lastError])).toEqual([
      ['channel:hook', 'succeeded', 3, null],
      ['channel:slack', 'succeeded', 1, null],
    ]);
  });

  it('resends only the PagerDuty events that failed, not those already accepted', async () => {
    pd.answer({ status: 202 }, { status: 500 });
    const a = makeEvent({ fingerprint: 'fp-a' });
    const b = makeEvent({ fingerprint: 'fp-b' });
    await world.notify('pd', [a, b]);
    expect((await run('pd'))[0]).toMatchObject({ error: 'HTTP 500' });
    world.clock.advance(5000);
    expect(await run('pd')).toEqual(['ack']);
    expect(pd.requests.map((r) => r.json.dedup_key)).toEqual(['fp-a', 'fp-b', 'fp-b']);
  });

  it('cuts a hanging channel at the timeout and delivers on a later attempt', async () => {
    slack.answer('hang');
    const e = makeEvent();
    await world.notify('slack', [e]);
    const started = Date.now();
    const [outcome] = await run('slack');
    expect(Date.now() - started).toBeLessThan(3000);
    expect(outcome).toMatchObject({
      error: expect.stringMatching(/^CAIRN_HTTP_TIMEOUT: 127\.0\.0\.1:\d+ did not answer within 300 ms$/),
    });
    world.clock.advance(2000);
    expect(await run('slack')).toEqual(['ack']);
    expect(slack.requests).toHaveLength(2);
    expect((await world.deliveries.listForEvent(e.eventId))[0]).toMatchObject({ status: 'succeeded', attempts: 2 });
  });

  it('waits as long as a 429 Retry-After asks', async () => {
    slack.answer({ status: 429, headers: { 'retry-after': '37' }, body: 'rate_limited' });
    await world.notify('slack', [makeEvent()]);
    expect(await run('slack')).toEqual([{ retryAfterSeconds: 37, error: 'HTTP 429: rate_limited' }]);
    world.clock.advance(36_000);
    expect(await run('slack')).toEqual([]);
    world.clock.advance(1000);
    expect(await run('slack')).toEqual(['ack']);
  });

  it('moves a delivery that keeps failing to the channel queue’s dead-letter queue, recorded as dead', async () => {
    hook.always({ status: 503 });
    const e = makeEvent();
    await world.notify('hook', [e]);
    for (let i = 0; i < 5; i++) {
      await run('hook');
      world.clock.advance(60_000);
    }
    expect(hook.requests).toHaveLength(3);
    const dead = await world.queueFor('hook').listDead({});
    expect(dead.items.map((d) => [d.body.eventIds, d.receiveCount, d.lastError])).toEqual([
      [[e.eventId], 3, 'HTTP 503'],
    ]);
    expect((await world.deliveries.listForEvent(e.eventId))[0]).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: 'HTTP 503',
    });

    // Fixed and redriven: it goes out, and the record ends succeeded.
    hook.always({ status: 200 });
    expect(await world.queueFor('hook').redrive()).toBe(1);
    expect(await run('hook')).toEqual(['ack']);
    expect((await world.deliveries.listForEvent(e.eventId))[0]).toMatchObject({ status: 'succeeded', attempts: 4 });
  });

  it('backs off exponentially with equal jitter, capped', async () => {
    hook.always({ status: 500 });
    const world2 = senderWorld({ hook: { type: 'webhook', url: hook.url, secret: null } }, { maxReceiveCount: 10 });
    try {
      await world2.notify('hook', [makeEvent()]);
      const delays: number[] = [];
      for (let i = 0; i < 8; i++) {
        const [o] = await drain(world2.queueFor('hook'), (m) => world2.sender.handle(m));
        if (o && o !== 'ack') delays.push(o.retryAfterSeconds);
        world2.clock.advance(3_600_000);
      }
      // random() = 0.5: three quarters of min(60, 1 · 2^(n-1)) (half fixed, half jittered), at least 1.
      expect(delays).toEqual([1, 2, 3, 6, 12, 24, 45, 45]);
    } finally {
      world2.cleanup();
    }
  });
});
