import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import { FetchHttpClient } from '../../adapters/local/http-client.ts';
import { smtpMailers } from '../../adapters/local/mailer.ts';
import { OutboxRelay } from '../../adapters/local/outbox-relay.ts';
import type { Db } from '../../adapters/local/sqlite/db.ts';
import { SqliteDeliveryRepository } from '../../adapters/local/sqlite/delivery-repository.ts';
import { SqliteEventHistory } from '../../adapters/local/sqlite/event-history.ts';
import { openGroupCommitConnection } from '../../adapters/local/sqlite/group-commit.ts';
import { SqliteNotificationGroupRepository } from '../../adapters/local/sqlite/notification-group-repository.ts';
import { SqliteQueues } from '../../adapters/local/sqlite/queue.ts';
import { SqliteSilenceStore } from '../../adapters/local/sqlite/silence-store.ts';
import { SqliteSubscriptionStore } from '../../adapters/local/sqlite/subscription-store.ts';
import { retryPolicyOf } from '../../config/alerts.ts';
import type { CairnConfig } from '../../config/load.ts';
import { Enricher, type EnrichFunction } from '../../core/alerts/enrich/enricher.ts';
import { IngestService } from '../../core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import {
  type ChannelMessage,
  ChannelSender,
  channelQueue,
  compileRoutes,
  Notifier,
  resolveChannels,
  Silences,
} from '../../core/alerts/notify/index.ts';
import {
  NOTIFY_QUEUE,
  SubscriptionDirectory,
  subscriptionQueue,
  subscriptionsFromConfig,
  SubscriptionDeliverer,
  Topic,
} from '../../core/alerts/topic/index.ts';
import { EnrichWorker } from '../../core/alerts/workers/enrich-worker.ts';
import type { Clock } from '../../core/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Queue, QueueMessage } from '../../ports/queue.ts';
import type { HandleOutcome } from '../../core/alerts/workers/outcome.ts';
import { withBuiltinSources } from './hub-sources.ts';
import { QueueWorker } from './queue-worker.ts';

export interface HubOptions {
  config: CairnConfig;
  db: Db;
  /** The queue's own SQLite file: its group-commit writer thread never contends with the main database. */
  queueFile: string;
  clock: Clock;
  logger: Logger;
  env: NodeJS.ProcessEnv;
  publicUrl: string;
}

/**
 * Wires the notification hub in this process: ingest → `events` queue → enrich worker → history →
 * topic → subscription deliverers and the notifier → channel senders; the outbox relay feeds domain
 * events in; timers drive grouping, relaying and history retention.
 */
export async function startHub(o: HubOptions) {
  const { config, db, clock, logger, env } = o;
  const a = config.alerts;
  const retry = retryPolicyOf(a.queue);
  // Channels and subscriptions: receivers outside Cairn, retried for longer (alerts.delivery).
  const deliveryRetry = retryPolicyOf(a.delivery);
  const queues = await SqliteQueues.open({ file: o.queueFile, clock });
  // The hub's state (history, deliveries, groups) commits without an fsync each; a worker syncs once
  // before it acks, retries or passes a message on, so every event costs the event loop no fsync.
  const state = openGroupCommitConnection(db);
  const synced = <T>(q: Queue<T>): Queue<T> =>
    Object.assign(Object.create(q) as Queue<T>, {
      send: async (body: T, options?: Parameters<Queue<T>['send']>[1]) => {
        await state.sync();
        return q.send(body, options);
      },
      ack: async (m: QueueMessage<T>) => {
        await state.sync();
        return q.ack(m);
      },
      retryLater: async (m: QueueMessage<T>, delay: number, error?: string) => {
        await state.sync();
        return q.retryLater(m, delay, error);
      },
    });
  const known = new Map<string, Queue<unknown>>();
  // A send wakes the loop that consumes that queue, so an idle worker does not wait for its next poll.
  const wakers = new Map<string, () => void>();
  const queue = <T>(name: string, maxReceiveCount = a.queue.maxReceiveCount): Queue<T> => {
    let q = known.get(name);
    if (!q) {
      const inner = queues.queue<unknown>(name, {
        maxReceiveCount,
        visibilityTimeoutSeconds: a.queue.visibilityTimeout,
      });
      q = Object.assign(Object.create(inner) as Queue<unknown>, {
        send: async (body: unknown, options?: Parameters<Queue<unknown>['send']>[1]) => {
          const result = await inner.send(body, options);
          wakers.get(name)?.();
          return result;
        },
      });
      known.set(name, q);
    }
    return q as Queue<T>;
  };

  const events = queue<IngestedEvent>('events');
  const ingest = IngestService.create({
    sources: a.sources,
    maxBodyBytes: a.maxBodyBytes,
    queue: events,
    clock,
    secrets: { env, readFile: (p) => readFileSync(resolve(p), 'utf8') },
  });
  const history = new SqliteEventHistory(state.db);
  const deliveries = new SqliteDeliveryRepository(state.db);
  const http = new FetchHttpClient();
  const subscriptions = new SubscriptionDirectory(
    subscriptionsFromConfig(a.subscriptions, env),
    new SqliteSubscriptionStore(db),
  );
  const subscriptionQueueOf = async (name: string) =>
    queue<{ eventId: string }>(name, (await subscriptions.get(name.slice(4)))?.maxReceiveCount);
  const topic = new Topic({
    subscriptions,
    queueFor: (name) => synced(name === NOTIFY_QUEUE ? queue(name) : lazyQueue(name, subscriptionQueueOf)),
  });
  const channels = resolveChannels(a.channels, env);
  // Made by the API, which answers once they are on disk: the main, fsync-per-commit connection.
  const silenceStore = new SqliteSilenceStore(db);
  const silences = new Silences(a.silences, silenceStore);
  const notifier = new Notifier({
    routes: compileRoutes(a.routes),
    silences,
    groups: new SqliteNotificationGroupRepository(state.db),
    history,
    deliveries,
    queueForChannel: (c) => synced(queue<ChannelMessage>(channelQueue(c), a.delivery.maxReceiveCount)),
    clock,
    logger,
    retry,
  });
  const sender = new ChannelSender({
    channels,
    history,
    deliveries,
    http,
    mailerFor: smtpMailers(channels).mailerFor,
    clock,
    logger,
    retry: deliveryRetry,
    format: { eventUrl: (id) => `${o.publicUrl}/alerts/events/${encodeURIComponent(id)}` },
  });
  const enricher = new Enricher({
    config: withBuiltinSources(a),
    http,
    clock,
    ...(a.enrich.module ? { module: await loadModule(a.enrich.module) } : {}),
  });
  const enrichWorker = new EnrichWorker({
    enricher,
    history,
    topic,
    clock,
    logger,
    retentionSeconds: a.retention,
    backoff: retry,
  });

  const workers: Loop[] = [];
  const run = <T>(q: Queue<T>, handle: (m: QueueMessage<T>) => Promise<HandleOutcome>, concurrency: number): Loop => {
    const w = new QueueWorker<T>(synced(q), handle, logger, { concurrency, idleMs: 250 });
    wakers.set(q.name, () => w.wake());
    workers.push(w);
    w.start();
    return w;
  };
  run(events, (m) => enrichWorker.handle(m), 16);
  run(queue<{ eventId: string }>(NOTIFY_QUEUE), (m) => notifier.handle(m), 8);
  Object.keys(channels).forEach((c) =>
    // Sends wait on the receiver's network round trip, not on this process: many at once.
    run(queue<ChannelMessage>(channelQueue(c), a.delivery.maxReceiveCount), (m) => sender.handle(m), 16),
  );
  const subscriptionLoops = new Map<string, Loop>();
  const superviseSubscriptions = async () => {
    for (const s of await subscriptions.all()) {
      if (subscriptionLoops.has(s.name)) continue;
      const deliverer = new SubscriptionDeliverer(s.name, {
        subscriptions,
        history,
        deliveries,
        http,
        clock,
        logger,
        retry: deliveryRetry,
      });
      subscriptionLoops.set(
        s.name,
        run(await subscriptionQueueOf(subscriptionQueue(s.name)), (m) => deliverer.handle(m), 4),
      );
    }
  };
  await superviseSubscriptions();

  const relay = new OutboxRelay(db, events, clock, logger);
  const every = (ms: number, fn: () => Promise<unknown>) => {
    let busy = false;
    const t = setInterval(() => {
      if (busy) return;
      busy = true;
      fn()
        .catch((err: unknown) => logger.error({ err: String(err) }, 'hub timer failed'))
        .finally(() => (busy = false));
    }, ms);
    t.unref();
    return t;
  };
  const timers = [
    every(1000, () => notifier.tick()),
    every(500, () => relay.pump()),
    every(5000, superviseSubscriptions),
    every(3600_000, () => history.purgeExpired(clock.now(), 10_000)),
  ];

  return {
    ingest,
    /** The `events` queue, for other inputs (the log agent's alarm state changes). */
    events,
    history,
    deliveries,
    silences,
    silenceStore,
    subscriptions,
    /** Every queue the hub uses, by name, for depth and dead-letter views. */
    queues: () => new Map(known),
    async stop() {
      for (const t of timers) clearInterval(t);
      await Promise.all(workers.map((w) => w.stop()));
      await state.sync();
      state.close();
      await queues.close();
    },
  };
}

export type Hub = Awaited<ReturnType<typeof startHub>>;

interface Loop {
  wake(): void;
  stop(): Promise<void>;
}

/** A queue resolved on first use (a subscription's maxReceiveCount is read from its record). */
function lazyQueue(
  name: string,
  open: (name: string) => Promise<Queue<{ eventId: string }>>,
): Queue<{ eventId: string }> {
  let q: Promise<Queue<{ eventId: string }>> | null = null;
  const get = () => (q ??= open(name));
  return {
    name,
    send: async (b, o) => (await get()).send(b, o),
    receive: async (n, o) => (await get()).receive(n, o),
    ack: async (m) => (await get()).ack(m),
    retryLater: async (m, d, e) => (await get()).retryLater(m, d, e),
    depth: async () => (await get()).depth(),
    listDead: async (p) => (await get()).listDead(p),
    redrive: async (ids) => (await get()).redrive(ids),
  };
}

async function loadModule(path: string): Promise<EnrichFunction> {
  const mod = (await import(pathToFileURL(resolve(path)).href)) as { default?: unknown; enrich?: unknown };
  const fn = mod.enrich ?? mod.default;
  if (typeof fn !== 'function')
    throw new Error(`alerts.enrich.module: ${path} exports no function named enrich (or a default)`);
  return fn as EnrichFunction;
}
