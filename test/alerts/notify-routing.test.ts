/** The notifier: routes (first match wins, `continue`), silences, grouping and throttling, durable state. */
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { SqliteNotificationGroupRepository } from '../../src/adapters/local/sqlite/notification-group-repository.ts';
import { SqliteSilenceStore } from '../../src/adapters/local/sqlite/silence-store.ts';
import { alertsSchema } from '../../src/config/alerts.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import { compileRoutes, Notifier, Silences, type ChannelMessage } from '../../src/core/alerts/notify/index.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { drain, makeEvent, MemoryHistory, MemoryQueue, memoryQueues } from './notify-helpers.ts';
import { tempDb } from './notify-setup.ts';

const CHANNELS = {
  slack: { type: 'slack', url: 'https://hooks.slack.com/services/T/B/X' },
  pd: { type: 'pagerduty', routingKey: 'KEY' },
  audit: { type: 'webhook', url: 'https://audit.example.com/hook' },
};

function notifierWorld(
  alerts: Record<string, unknown>,
  start = '2026-03-01T10:00:00Z',
  reuse?: { db: Db; history: MemoryHistory },
) {
  const config = alertsSchema.parse({ channels: CHANNELS, ...alerts });
  const temp = reuse ? null : tempDb();
  const db = reuse?.db ?? temp!.db;
  const clock = new ManualClock(new Date(start));
  const history = reuse?.history ?? new MemoryHistory();
  const deliveries = new SqliteDeliveryRepository(db);
  const silenceStore = new SqliteSilenceStore(db);
  const silences = new Silences(config.silences, silenceStore);
  const { queueFor, made } = memoryQueues(clock);
  const notifier = new Notifier({
    routes: compileRoutes(config.routes),
    silences,
    groups: new SqliteNotificationGroupRepository(db),
    history,
    deliveries,
    queueForChannel: (c) => queueFor<ChannelMessage>(`channel:${c}`),
    clock,
    logger: silentLogger,
    retry: { baseSeconds: 1, maxSeconds: 60 },
  });
  const notify = queueFor<{ eventId: string }>('notify');
  /** Publishes events to `notify` and runs the notifier step over them. */
  const publish = async (...events: EnrichedEvent[]) => {
    history.add(...events);
    for (const e of events) await notify.send({ eventId: e.eventId });
    return drain(notify, (m) => notifier.handle(m));
  };
  const sent = (channel: string): ChannelMessage[] =>
    (made.get(`channel:${channel}`) as MemoryQueue<ChannelMessage> | undefined)?.bodies() ?? [];
  return { db, clock, history, deliveries, silences, notifier, publish, sent, cleanup: () => temp?.cleanup() };
}

let world: ReturnType<typeof notifierWorld>;
afterEach(() => world?.cleanup());

describe('routes', () => {
  it('sends to the first matching route only, unless it says continue', async () => {
    world = notifierWorld({
      routes: [
        { match: { team: ['audit'] }, channels: ['audit'], continue: true },
        { match: { severity: ['critical'] }, channels: ['pd'] },
        { match: {}, channels: ['slack'] },
      ],
    });
    const critical = makeEvent({ labels: { team: 'audit' } });
    const warning = makeEvent({ severity: 'warning', fingerprint: 'fp-w', labels: { team: 'web' } });
    expect(await world.publish(critical, warning)).toEqual(['ack', 'ack']);
    expect(world.sent('audit').map((m) => m.eventIds)).toEqual([[critical.eventId]]);
    expect(world.sent('pd').map((m) => m.eventIds)).toEqual([[critical.eventId]]);
    expect(world.sent('slack').map((m) => m.eventIds)).toEqual([[warning.eventId]]);
  });

  it('notifies nobody and records nothing when no route matches', async () => {
    world = notifierWorld({ routes: [{ match: { env: ['staging'] }, channels: ['slack'] }] });
    const e = makeEvent();
    expect(await world.publish(e)).toEqual(['ack']);
    expect(world.sent('slack')).toEqual([]);
    expect(await world.deliveries.listForEvent(e.eventId)).toEqual([]);
  });

  it('refuses a route whose match is not a valid filter policy, naming where it is', () => {
    expect(() =>
      compileRoutes(
        alertsSchema.parse({ channels: CHANNELS, routes: [{ match: { a: 'x' }, channels: ['slack'] }] }).routes,
      ),
    ).toThrow(/alerts\.routes\[0\]\.match: filter policy \$\.a/);
  });
});

describe('silences', () => {
  const routes = [{ match: {}, channels: ['slack'] }];

  it('holds matching events during a one-off silence and records them as silenced', async () => {
    world = notifierWorld({
      routes,
      silences: [
        {
          name: 'db-maintenance',
          match: { service: ['billing-db'] },
          startsAt: '2026-03-01T09:00:00Z',
          endsAt: '2026-03-01T11:00:00Z',
        },
      ],
    });
    const held = makeEvent();
    const other = makeEvent({ service: 'web', fingerprint: 'fp-web' });
    await world.publish(held, other);
    expect(world.sent('slack').map((m) => m.eventIds)).toEqual([[other.eventId]]);
    expect(await world.deliveries.listForEvent(held.eventId)).toMatchObject([
      { target: 'silence:db-maintenance', status: 'succeeded' },
    ]);

    world.clock.set(new Date('2026-03-01T11:00:00Z'));
    const after = makeEvent({ fingerprint: 'fp-after' });
    await world.publish(after);
    expect(world.sent('slack').map((m) => m.eventIds)).toContainEqual([after.eventId]);
  });

  it('adds and expires runtime silences', async () => {
    world = notifierWorld({ routes });
    const s = await world.silences.create(
      { match: { team: ['storage'] }, endsAt: '2026-03-01T12:00:00Z', comment: 'disk swap' },
      world.clock.now(),
    );
    await world.publish(makeEvent());
    expect(world.sent('slack')).toEqual([]);
    await world.silences.expire(s.id, world.clock.now());
    const e = makeEvent({ fingerprint: 'fp-2' });
    await world.publish(e);
    expect(world.sent('slack').map((m) => m.eventIds)).toEqual([[e.eventId]]);
    await expect(
      world.silences.create({ match: { team: 'x' }, endsAt: '2026-03-02T00:00:00Z' }, world.clock.now()),
    ).rejects.toMatchObject({
      code: 'CAIRN_INVALID_FILTER_POLICY',
    });
    await expect(world.silences.expire('sil_nope', world.clock.now())).rejects.toMatchObject({
      code: 'CAIRN_SILENCE_NOT_FOUND',
    });
  });

  it('follows a recurring window in its time zone across the spring DST change', async () => {
    // Every Sunday 01:00 Berlin time, for 3 hours. 2026-03-29 is the day clocks jump from 02:00 to 03:00.
    world = notifierWorld(
      {
        routes,
        silences: [
          {
            name: 'sunday-night',
            match: {},
            schedule: { expression: 'cron(0 1 ? * SUN *)', duration: '3h', timeZone: 'Europe/Berlin' },
          },
        ],
      },
      '2026-03-22T00:30:00Z',
    );
    const at = async (iso: string) => {
      world.clock.set(new Date(iso));
      const e = makeEvent({ fingerprint: `fp-${iso}` });
      await world.publish(e);
      return (await world.deliveries.listForEvent(e.eventId)).some((r) => r.target === 'silence:sunday-night');
    };
    // Winter Sunday: 01:00 CET = 00:00Z, until 03:00Z.
    expect(await at('2026-03-22T00:30:00Z')).toBe(true);
    expect(await at('2026-03-22T02:59:00Z')).toBe(true);
    expect(await at('2026-03-22T03:00:00Z')).toBe(false);
    // DST Sunday: still 01:00 CET = 00:00Z (before the jump); three elapsed hours end at 03:00Z = 05:00 CEST.
    expect(await at('2026-03-28T23:59:00Z')).toBe(false);
    expect(await at('2026-03-29T02:30:00Z')).toBe(true);
    expect(await at('2026-03-29T03:00:00Z')).toBe(false);
    // Summer Sunday: 01:00 CEST = 23:00Z on Saturday.
    expect(await at('2026-04-04T23:30:00Z')).toBe(true);
    expect(await at('2026-04-05T02:00:00Z')).toBe(false);
  });

  it('lets a resolve through a silence, so what was announced before can close', async () => {
    world = notifierWorld({ routes });
    await world.publish(makeEvent({ fingerprint: 'fp-x' }));
    await world.silences.create({ match: {}, endsAt: '2026-03-01T12:00:00Z' }, world.clock.now());
    const resolved = makeEvent({ fingerprint: 'fp-x', status: 'resolved' });
    await world.publish(resolved);
    expect(world.sent('slack').map((m) => [m.status, m.eventIds])).toEqual([
      ['firing', [expect.any(String)]],
      ['resolved', [resolved.eventId]],
    ]);
  });
});

describe('grouping and throttling', () => {
  it('turns a storm of 200 same-fingerprint events into one message with the count', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], groupWait: '30s', groupInterval: '5m' }] });
    const storm = Array.from({ length: 200 }, () => makeEvent({ fingerprint: 'fp-storm' }));
    await world.publish(...storm);
    expect(world.sent('slack')).toEqual([]);
    world.clock.advance(29_000);
    expect(await world.notifier.tick()).toEqual([]);
    world.clock.advance(1000);
    const [message, ...more] = await world.notifier.tick();
    expect(more).toEqual([]);
    expect(message).toMatchObject({
      channel: 'slack',
      count: 200,
      status: 'firing',
      repeat: false,
      groupKey: 'fingerprint=fp-storm',
    });
    expect(message!.eventIds).toEqual(storm.map((e) => e.eventId));
    expect(world.sent('slack')).toHaveLength(1);
  });

  it('sends the first event at once with groupWait 0, then one follow-up per groupInterval', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], groupWait: 0, groupInterval: '1m' }] });
    const first = makeEvent();
    await world.publish(first);
    expect(world.sent('slack').map((m) => m.count)).toEqual([1]);
    const rest = Array.from({ length: 499 }, () => makeEvent());
    for (const e of rest) {
      world.clock.advance(100);
      await world.publish(e);
    }
    expect(await world.notifier.tick()).toEqual([]);
    world.clock.set(new Date('2026-03-01T10:01:00Z'));
    const [followUp] = await world.notifier.tick();
    expect(followUp).toMatchObject({ count: 499, status: 'firing' });
    expect(world.sent('slack')).toHaveLength(2);
  });

  it('reminds of a still-firing group at repeatInterval, not before', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], repeatInterval: '4h' }] });
    const e = makeEvent();
    await world.publish(e);
    world.clock.advance(4 * 3600_000 - 1000);
    expect(await world.notifier.tick()).toEqual([]);
    world.clock.advance(1000);
    expect(await world.notifier.tick()).toMatchObject([
      { repeat: true, count: 1, eventIds: [e.eventId], status: 'firing' },
    ]);
  });

  it('sends a resolve at once, even within the group interval, and then forgets the group', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['pd'], groupInterval: '10m' }] });
    await world.publish(makeEvent({ fingerprint: 'fp-r' }));
    world.clock.advance(5000);
    const resolved = makeEvent({ fingerprint: 'fp-r', status: 'resolved' });
    await world.publish(resolved);
    expect(world.sent('pd').map((m) => m.status)).toEqual(['firing', 'resolved']);
    world.clock.advance(24 * 3600_000);
    expect(await world.notifier.tick()).toEqual([]);
    expect(world.db.prepare('SELECT COUNT(*) FROM hub_groups').pluck().get()).toBe(0);
  });

  it('drops a resolve of something never announced', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], groupWait: '30s' }] });
    await world.publish(makeEvent({ fingerprint: 'fp-flap' }));
    world.clock.advance(10_000);
    await world.publish(makeEvent({ fingerprint: 'fp-flap', status: 'resolved' }));
    world.clock.advance(30_000);
    expect(await world.notifier.tick()).toEqual([]);
    expect(world.sent('slack')).toEqual([]);
  });

  it('groups by the route’s groupBy labels', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], groupBy: ['service'], groupWait: '10s' }] });
    await world.publish(
      makeEvent({ fingerprint: 'a' }),
      makeEvent({ fingerprint: 'b' }),
      makeEvent({ fingerprint: 'c', service: 'web' }),
    );
    world.clock.advance(10_000);
    const sent = await world.notifier.tick();
    expect(sent.map((m) => [m.groupKey, m.count]).sort()).toEqual([
      ['service=billing-db', 2],
      ['service=web', 1],
    ]);
  });

  it('keeps its grouping state across a restart', async () => {
    const temp = tempDb();
    try {
      const history = new MemoryHistory();
      const routes = [{ match: {}, channels: ['slack'], groupWait: '30s' }];
      world = notifierWorld({ routes }, '2026-03-01T10:00:00Z', { db: temp.db, history });
      await world.publish(makeEvent(), makeEvent());
      temp.db.close();

      const reopened = openDatabase(temp.file);
      world = notifierWorld({ routes }, '2026-03-01T10:00:30Z', { db: reopened, history });
      expect(await world.notifier.tick()).toMatchObject([{ count: 2 }]);
      reopened.close();
    } finally {
      temp.cleanup();
    }
  });

  it('handles a redelivered notify message once', async () => {
    world = notifierWorld({ routes: [{ match: {}, channels: ['slack'], groupWait: '30s' }] });
    const e = makeEvent();
    await world.publish(e);
    await world.publish(e);
    world.clock.advance(30_000);
    expect(await world.notifier.tick()).toMatchObject([{ count: 1, eventIds: [e.eventId] }]);
  });
});
