/** The topic: fan-out by SNS filter policies, runtime subscriptions, signed delivery to subscribers. */
import { createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchHttpClient } from '../../src/adapters/local/http-client.ts';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { SqliteSubscriptionStore } from '../../src/adapters/local/sqlite/subscription-store.ts';
import { alertsSchema } from '../../src/config/alerts.ts';
import {
  SubscriptionDeliverer,
  SubscriptionDirectory,
  subscriptionsFromConfig,
  Topic,
} from '../../src/core/alerts/topic/index.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { drain, makeEvent, MemoryHistory, memoryQueues, Sink } from './notify-helpers.ts';
import { tempDb } from './notify-setup.ts';

const SECRET = 'whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD';

describe('topic', () => {
  let sink: Sink;
  let temp: ReturnType<typeof tempDb>;
  let clock: ManualClock;
  let queues: ReturnType<typeof memoryQueues>;
  let history: MemoryHistory;
  let directory: SubscriptionDirectory;
  let topic: Topic;

  beforeEach(async () => {
    sink = await Sink.start();
    temp = tempDb();
    clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    queues = memoryQueues(clock, 3);
    history = new MemoryHistory();
    const config = alertsSchema.parse({
      subscriptions: [
        {
          name: 'storage-team',
          endpoint: `${sink.url}/storage`,
          secretEnv: 'STORAGE_SECRET',
          filterPolicy: { team: ['storage'] },
        },
        {
          name: 'prod-critical',
          endpoint: `${sink.url}/prod`,
          filterPolicy: { severity: ['critical'], labels: { env: ['prod'] } },
          filterPolicyScope: 'MessageBody',
        },
        { name: 'everything', endpoint: `${sink.url}/all`, maxReceiveCount: 3 }, // as its queue sub:everything
      ],
    });
    directory = new SubscriptionDirectory(
      subscriptionsFromConfig(config.subscriptions, { STORAGE_SECRET: SECRET }),
      new SqliteSubscriptionStore(temp.db),
    );
    topic = new Topic({ subscriptions: directory, queueFor: (name) => queues.queueFor(name) });
  });
  afterEach(async () => {
    await sink.stop();
    temp.cleanup();
  });

  const deliverer = (name: string) =>
    new SubscriptionDeliverer(name, {
      subscriptions: directory,
      history,
      deliveries: new SqliteDeliveryRepository(temp.db),
      http: new FetchHttpClient(),
      clock,
      logger: silentLogger,
      retry: { baseSeconds: 2, maxSeconds: 60 },
      timeoutMs: 1000,
      random: () => 1,
    });

  it('fans an event out to the subscriptions whose filter policy accepts it, in either scope, and to the notifier', async () => {
    const e = makeEvent();
    expect(await topic.publish(e)).toEqual(['sub:storage-team', 'sub:prod-critical', 'sub:everything', 'notify']);
    const staging = makeEvent({ labels: { team: 'web', env: 'staging' } });
    expect(await topic.publish(staging)).toEqual(['sub:everything', 'notify']);
    expect(queues.made.get('notify')!.bodies()).toEqual([{ eventId: e.eventId }, { eventId: staging.eventId }]);
  });

  it('queues a republished event once per target', async () => {
    const e = makeEvent();
    await topic.publish(e);
    await topic.publish(e);
    expect(queues.made.get('sub:everything')!.bodies()).toHaveLength(1);
    expect(queues.made.get('notify')!.bodies()).toHaveLength(1);
  });

  it('adds and removes subscriptions at runtime, with a generated secret and a checked filter policy', async () => {
    const added = await directory.put(
      { name: 'audit', endpoint: `${sink.url}/audit`, filterPolicy: { source: [{ prefix: 'graf' }] } },
      clock.now(),
    );
    expect(added.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(await topic.publish(makeEvent())).toContain('sub:audit');
    await expect(
      directory.put({ name: 'bad', endpoint: `${sink.url}/x`, filterPolicy: { a: 'b' } }, clock.now()),
    ).rejects.toMatchObject({
      code: 'CAIRN_INVALID_FILTER_POLICY',
    });
    await expect(directory.put({ name: 'Bad Name', endpoint: `${sink.url}/x` }, clock.now())).rejects.toMatchObject({
      code: 'CAIRN_INVALID_SUBSCRIPTION',
    });
    await expect(directory.put({ name: 'everything', endpoint: `${sink.url}/x` }, clock.now())).rejects.toMatchObject({
      code: 'CAIRN_SUBSCRIPTION_CONFIGURED',
    });
    await directory.remove('audit');
    expect(await topic.publish(makeEvent())).not.toContain('sub:audit');
  });

  it('delivers the event signed with Standard Webhooks headers, webhook-id being the event id', async () => {
    const e = makeEvent();
    history.add(e);
    await topic.publish(e);
    expect(
      await drain(queues.queueFor<{ eventId: string }>('sub:storage-team'), (m) => deliverer('storage-team').handle(m)),
    ).toEqual(['ack']);
    const [req] = sink.requests;
    expect(req!.url).toBe('/storage');
    expect(req!.headers['webhook-id']).toBe(e.eventId);
    expect(req!.headers['webhook-timestamp']).toBe(String(clock.now().getTime() / 1000));
    const key = Buffer.from(SECRET.slice(6), 'base64');
    const mac = createHmac('sha256', key)
      .update(`${e.eventId}.${req!.headers['webhook-timestamp']}.${req!.body}`)
      .digest('base64');
    expect(req!.headers['webhook-signature']).toBe(`v1,${mac}`);
    expect(req!.json).toEqual({ type: 'event.firing', timestamp: e.enrichedAt, data: e });
  });

  it('retries a failing subscriber with backoff, never re-sends after success, and dead-letters when exhausted', async () => {
    sink.answer({ status: 500 });
    const ok = makeEvent();
    history.add(ok);
    await topic.publish(ok);
    const q = queues.queueFor<{ eventId: string }>('sub:everything');
    expect(await drain(q, (m) => deliverer('everything').handle(m))).toEqual([
      { retryAfterSeconds: 2, error: 'HTTP 500' },
    ]);
    clock.advance(2000);
    expect(await drain(q, (m) => deliverer('everything').handle(m))).toEqual(['ack']);
    await q.send({ eventId: ok.eventId }); // a redelivery
    expect(await drain(q, (m) => deliverer('everything').handle(m))).toEqual(['ack']);
    expect(sink.requests).toHaveLength(2);

    sink.always({ status: 410 });
    const doomed = makeEvent();
    history.add(doomed);
    await topic.publish(doomed);
    for (let i = 0; i < 4; i++) {
      await drain(q, (m) => deliverer('everything').handle(m));
      clock.advance(3600_000);
    }
    expect((await q.listDead({})).items.map((d) => d.body)).toEqual([{ eventId: doomed.eventId }]);
    const records = await new SqliteDeliveryRepository(temp.db).listForEvent(doomed.eventId);
    expect(records).toMatchObject([
      { target: 'subscription:everything', status: 'dead', attempts: 3, lastError: 'HTTP 410' },
    ]);
  });
});
