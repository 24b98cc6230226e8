/**
 * The notifier meets an event again: a sender's retry or a redelivery after a crash (found by
 * kill9-pipeline.test.ts) reaches `notify` once more after the first copy was acked, so the queue's
 * dedup no longer applies. It is not news: no second notification, no reopened alert.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { SqliteNotificationGroupRepository } from '../../src/adapters/local/sqlite/notification-group-repository.ts';
import { alertsSchema } from '../../src/config/alerts.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import { compileRoutes, Notifier, Silences, type ChannelMessage } from '../../src/core/alerts/notify/index.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { drain, makeEvent, MemoryHistory, memoryQueues } from './notify-helpers.ts';
import { tempDb } from './notify-setup.ts';

describe('an event the notifier sees again', () => {
  let temp: ReturnType<typeof tempDb>;
  let clock: ManualClock;
  let notifier: Notifier;
  let deliveries: SqliteDeliveryRepository;
  let publish: (...events: EnrichedEvent[]) => Promise<void>;
  /** What reached `channel:slack`, taken off the queue (and acked) as the channel sender would. */
  let sent: [string, string[], boolean][];
  let deliver: () => Promise<unknown>;

  beforeEach(() => {
    temp = tempDb();
    clock = new ManualClock(new Date('2026-03-01T10:00:00Z'));
    const config = alertsSchema.parse({
      channels: { slack: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' } },
      routes: [{ match: {}, channels: ['slack'], groupInterval: '1m', repeatInterval: '4h' }],
    });
    const history = new MemoryHistory();
    deliveries = new SqliteDeliveryRepository(temp.db);
    const { queueFor } = memoryQueues(clock);
    const slack = queueFor<ChannelMessage>('channel:slack');
    sent = [];
    deliver = () =>
      drain(slack, async (m) => {
        sent.push([m.body.status, m.body.eventIds, m.body.repeat]);
        return 'ack';
      });
    notifier = new Notifier({
      routes: compileRoutes(config.routes),
      silences: new Silences([]),
      groups: new SqliteNotificationGroupRepository(temp.db),
      history,
      deliveries,
      queueForChannel: (c) => queueFor<ChannelMessage>(`channel:${c}`),
      clock,
      logger: silentLogger,
      retry: { baseSeconds: 1, maxSeconds: 60 },
    });
    const notify = queueFor<{ eventId: string }>('notify');
    publish = async (...events) => {
      history.add(...events);
      for (const e of events) await notify.send({ eventId: e.eventId }, { dedupId: e.eventId });
      await drain(notify, (m) => notifier.handle(m));
      await deliver();
    };
  });
  afterEach(() => temp.cleanup());

  const later = async (ms: number) => {
    clock.set(new Date(clock.now().getTime() + ms));
    await notifier.tick();
    await deliver();
  };

  it('sends an event that comes back after its notification went out only once', async () => {
    const e = makeEvent();
    await publish(e);
    await publish(e);
    await later(2 * 60_000);
    expect(sent).toEqual([['firing', [e.eventId], false]]);
  });

  it('does not reopen a resolved alert when a late copy of its firing event arrives', async () => {
    const firing = makeEvent();
    await publish(firing);
    const record = await deliveries.ensure(firing.eventId, 'channel:slack'); // the channel sender's part
    await deliveries.recordAttempt(record.id, { status: 'succeeded', error: null, at: clock.now() });
    const resolved = makeEvent({ status: 'resolved' });
    await publish(resolved);

    await publish(firing);
    await later(2 * 60_000);
    await later(5 * 3600_000);
    expect(sent).toEqual([
      ['firing', [firing.eventId], false],
      ['resolved', [resolved.eventId], false],
    ]);
  });
});
