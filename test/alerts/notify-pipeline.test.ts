/** Topic → notify → notifier → channel queues → channel sender → real Slack and PagerDuty sinks. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FetchHttpClient } from '../../src/adapters/local/http-client.ts';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { SqliteNotificationGroupRepository } from '../../src/adapters/local/sqlite/notification-group-repository.ts';
import { alertsSchema } from '../../src/config/alerts.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import {
  ChannelSender,
  compileRoutes,
  Notifier,
  resolveChannels,
  Silences,
  type ChannelMessage,
} from '../../src/core/alerts/notify/index.ts';
import { SubscriptionDirectory, Topic } from '../../src/core/alerts/topic/index.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { drain, makeEvent, MemoryHistory, memoryQueues, Sink } from './notify-helpers.ts';
import { tempDb } from './notify-setup.ts';

describe('the notification pipeline', () => {
  let slack: Sink;
  let pd: Sink;
  let temp: ReturnType<typeof tempDb>;
  let run: (...events: EnrichedEvent[]) => Promise<void>;
  let clock: ManualClock;
  let notifier: Notifier;
  let flushChannels: () => Promise<void>;

  beforeEach(async () => {
    [slack, pd] = await Promise.all([Sink.start(), Sink.start()]);
    temp = tempDb();
    clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const config = alertsSchema.parse({
      channels: {
        slack: { type: 'slack', url: slack.url },
        pager: { type: 'pagerduty', url: pd.url, routingKeyEnv: 'PD_KEY' },
      },
      routes: [
        { match: { severity: ['critical'] }, channels: ['pager'], continue: true },
        { match: {}, channels: ['slack'], groupWait: '30s', groupInterval: '5m' },
      ],
    });
    const history = new MemoryHistory();
    const deliveries = new SqliteDeliveryRepository(temp.db);
    const queues = memoryQueues(clock, config.queue.maxReceiveCount);
    const topic = new Topic({ subscriptions: new SubscriptionDirectory([]), queueFor: (n) => queues.queueFor(n) });
    notifier = new Notifier({
      routes: compileRoutes(config.routes),
      silences: new Silences(config.silences),
      groups: new SqliteNotificationGroupRepository(temp.db),
      history,
      deliveries,
      queueForChannel: (c) => queues.queueFor<ChannelMessage>(`channel:${c}`),
      clock,
      logger: silentLogger,
      retry: { baseSeconds: config.queue.backoffBase, maxSeconds: config.queue.backoffMax },
    });
    const sender = new ChannelSender({
      channels: resolveChannels(config.channels, { PD_KEY: 'pd-routing-key' }),
      history,
      deliveries,
      http: new FetchHttpClient(),
      clock,
      logger: silentLogger,
      retry: {
        baseSeconds: config.queue.backoffBase,
        maxSeconds: config.queue.backoffMax,
        maxReceiveCount: config.queue.maxReceiveCount,
      },
    });
    flushChannels = async () => {
      for (const c of Object.keys(config.channels))
        await drain(queues.queueFor<ChannelMessage>(`channel:${c}`), (m) => sender.handle(m));
    };
    run = async (...events) => {
      for (const e of events) {
        history.add(e);
        await topic.publish(e);
      }
      await drain(queues.queueFor<{ eventId: string }>('notify'), (m) => notifier.handle(m));
      await flushChannels();
    };
  });
  afterEach(async () => {
    await Promise.all([slack.stop(), pd.stop()]);
    temp.cleanup();
  });

  it('posts one Slack message for a storm of 200 identical alerts, saying ×200', async () => {
    await run(...Array.from({ length: 200 }, () => makeEvent({ severity: 'warning', fingerprint: 'fp-storm' })));
    expect(slack.requests).toHaveLength(0);
    clock.advance(30_000);
    await notifier.tick();
    await flushChannels();
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]!.json.blocks[0].text.text).toBe(':large_yellow_circle: Disk almost full on db-1 (×200)');
  });

  it('triggers PagerDuty at once and resolves the same alert later, under one dedup_key', async () => {
    await run(makeEvent({ fingerprint: 'disk:db-1' }));
    clock.advance(60_000);
    await run(makeEvent({ fingerprint: 'disk:db-1', status: 'resolved' }));
    expect(pd.requests.map((r) => [r.json.event_action, r.json.dedup_key, r.json.routing_key])).toEqual([
      ['trigger', 'disk:db-1', 'pd-routing-key'],
      ['resolve', 'disk:db-1', 'pd-routing-key'],
    ]);
  });
});
