/** A channel sender wired to real sinks, a real SQLite database in a temp dir and in-memory queues. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FetchHttpClient } from '../../src/adapters/local/http-client.ts';
import { openDatabase, type Db } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { ChannelSender, type ChannelMessage, type ResolvedChannel } from '../../src/core/alerts/notify/index.ts';
import type { EnrichedEvent } from '../../src/core/alerts/model.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { MemoryHistory, MemoryQueue } from './notify-helpers.ts';

export function tempDb(): { db: Db; file: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-notify-'));
  const file = join(dir, 'cairn.db');
  const db = openDatabase(file);
  return { db, file, cleanup: () => (db.close(), rmSync(dir, { recursive: true, force: true })) };
}

export function senderWorld(
  channels: Record<string, ResolvedChannel>,
  options: { timeoutMs?: number; maxReceiveCount?: number } = {},
) {
  const { db, cleanup } = tempDb();
  const clock = new ManualClock(new Date('2026-03-01T10:00:05Z'));
  const history = new MemoryHistory();
  const deliveries = new SqliteDeliveryRepository(db);
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const sender = new ChannelSender({
    channels,
    history,
    deliveries,
    http: new FetchHttpClient(),
    clock,
    logger: silentLogger,
    retry: { baseSeconds: 1, maxSeconds: 60, maxReceiveCount },
    timeoutMs: options.timeoutMs,
    format: { eventUrl: (id) => `https://cairn.example.com/events/${id}` },
    random: () => 0.5,
  });
  const queues = new Map<string, MemoryQueue<ChannelMessage>>();
  const queueFor = (channel: string) => {
    let q = queues.get(channel);
    if (!q) queues.set(channel, (q = new MemoryQueue<ChannelMessage>(`channel:${channel}`, clock, maxReceiveCount)));
    return q;
  };
  /** Queues a notification for these events on `channel:<name>`. */
  const notify = async (channel: string, events: EnrichedEvent[], over: Partial<ChannelMessage> = {}) => {
    history.add(...events);
    const message: ChannelMessage = {
      id: `grp_test#${Math.random().toString(36).slice(2)}`,
      channel,
      groupKey: 'fingerprint=fp',
      eventIds: events.map((e) => e.eventId),
      count: events.length,
      status: events[events.length - 1]!.status,
      repeat: false,
      ...over,
    };
    await queueFor(channel).send(message, { dedupId: message.id });
    return message;
  };
  return { db, cleanup, clock, history, deliveries, sender, queueFor, notify };
}
