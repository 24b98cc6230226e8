/**
 * Notifier step: takes `{ eventId }` off queue `notify`, checks silences, finds the routes and adds the
 * event to the group of each (route, channel, group key). `tick(now)` then sends every group that is
 * due as one message on `channel:<name>` (handle() does it at once for a group due already: groupWait 0,
 * a resolve). A notification is queued before the group state records it, under a dedup id, so a crash
 * in between re-sends the same message (dropped by the queue) rather than losing it. An event seen again
 * (a redelivery) is not added to a group that holds it, nor for a channel that already has its delivery.
 */
import type { NotificationGroup, NotificationGroupRepository } from '../../../ports/alerts-topic.ts';
import type { DeliveryRepository, EventHistory } from '../../../ports/alerts.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { Queue, QueueMessage } from '../../../ports/queue.ts';
import type { Clock } from '../../clock.ts';
import { eventAttributes } from '../attributes.ts';
import type { EnrichedEvent } from '../model.ts';
import { backoffSeconds, type HandleOutcome } from '../workers/outcome.ts';
import type { RetryPolicy } from './delivery.ts';
import { stableHash } from './hash.ts';
import { afterFlush, announcedFiring, newGroup, pendingStatus, repeatDue, withEvent } from './grouping.ts';
import { groupKeyOf, matchingRoutes, type CompiledRoute } from './routes.ts';
import type { Silences } from './silences.ts';
import { MAX_EVENT_IDS, type ChannelMessage } from './types.ts';

export interface NotifierDeps {
  routes: CompiledRoute[];
  silences: Silences;
  groups: NotificationGroupRepository;
  history: EventHistory;
  deliveries: DeliveryRepository;
  /** Queue `channel:<name>` for a channel name. */
  queueForChannel: (channel: string) => Queue<ChannelMessage>;
  clock: Clock;
  logger: Logger;
  retry: Pick<RetryPolicy, 'baseSeconds' | 'maxSeconds'>;
}

/** Optimistic writes that lose a race re-read and try again this many times. */
const WRITE_ATTEMPTS = 8;
const DUE_BATCH = 200;

export class Notifier {
  private readonly byKey: Map<string, CompiledRoute>;

  constructor(private readonly d: NotifierDeps) {
    this.byKey = new Map(d.routes.map((r) => [r.key, r]));
  }

  async handle(message: QueueMessage<{ eventId: string }>): Promise<HandleOutcome> {
    const { eventId } = message.body;
    try {
      const event = await this.d.history.get(eventId);
      if (!event) throw new Error(`event ${eventId} is not in history (yet)`);
      const now = this.d.clock.now();
      const attributes = eventAttributes(event);
      // A resolve is never silenced: it may close what was announced before the silence began.
      const silence = event.status === 'firing' ? await this.d.silences.matching(attributes, now) : null;
      if (silence) {
        const record = await this.d.deliveries.ensure(eventId, `silence:${silence.name}`);
        if (record.status !== 'succeeded')
          await this.d.deliveries.recordAttempt(record.id, { status: 'succeeded', error: null, at: now });
        return 'ack';
      }
      // A channel that already has a delivery of this event got it in an earlier notification: a late copy
      // (after newer events of its fingerprint) must neither be sent again nor reopen what they resolved.
      const handed = new Set((await this.d.deliveries.listForEvent(eventId)).map((r) => r.target));
      for (const route of matchingRoutes(this.d.routes, attributes)) {
        const groupKey = groupKeyOf(route.config.groupBy, attributes);
        for (const channel of route.config.channels)
          if (!handed.has(`channel:${channel}`)) await this.add(route, channel, groupKey, event, now);
      }
      return 'ack';
    } catch (err) {
      const error = err instanceof Error ? err.message : String(err);
      this.d.logger.warn({ eventId, attempt: message.receiveCount, error }, 'notifier step failed; will retry');
      return {
        retryAfterSeconds: backoffSeconds(message.receiveCount, this.d.retry.baseSeconds, this.d.retry.maxSeconds),
        error,
      };
    }
  }

  /** Sends every group due at `now`; returns the notifications queued. Call it every second or so. */
  async tick(now: Date = this.d.clock.now()): Promise<ChannelMessage[]> {
    const sent: ChannelMessage[] = [];
    for (const group of await this.d.groups.due(now, DUE_BATCH)) {
      const message = await this.flush(group, now);
      if (message) sent.push(message);
    }
    return sent;
  }

  private async add(
    route: CompiledRoute,
    channel: string,
    groupKey: string,
    e: EnrichedEvent,
    now: Date,
  ): Promise<void> {
    const id = `grp_${stableHash(`${route.key}\n${channel}\n${groupKey}`)}`; // any label values fit a key column
    for (let i = 0; i < WRITE_ATTEMPTS; i++) {
      const current = (await this.d.groups.get(id)) ?? newGroup(id, route.key, channel, groupKey, now);
      // The same event again (a sender's retry, a redelivery after a crash: the queue's dedup ends once
      // the first copy is acked) is not news. Re-adding it would send it in a follow-up notification
      // under another id, which a receiver cannot tell from a new alert while the first is still retried.
      if (current.members[e.fingerprint]?.lastEventId === e.eventId) return;
      const next = withEvent(current, e, now, route.timing);
      const outcome = await this.d.groups.addEvent(next, current.version, {
        eventId: e.eventId,
        fingerprint: e.fingerprint,
        seq: next.added,
      });
      if (outcome === 'duplicate') return;
      if (outcome === 'added') {
        if (next.nextFlushAt && next.nextFlushAt.getTime() <= now.getTime()) await this.flush(next, now);
        return;
      }
    }
    throw new Error(`group ${id} kept changing; will retry`);
  }

  private async flush(group: NotificationGroup, now: Date): Promise<ChannelMessage | null> {
    const route = this.byKey.get(group.routeKey);
    if (!route || !route.config.channels.includes(group.channel)) {
      await this.d.groups.commitFlush(group.id, group.version, group.added, null); // its route was edited away
      return null;
    }
    const message = await this.messageFor(group, route, now);
    if (message) await this.d.queueForChannel(group.channel).send(message, { dedupId: message.id });
    let fresh = group;
    for (let i = 0; i < WRITE_ATTEMPTS; i++) {
      const next = afterFlush(fresh, group, message !== null, now, route.timing);
      if (next === fresh && fresh !== group) break; // another flusher already recorded this flush
      if (await this.d.groups.commitFlush(group.id, fresh.version, group.added, next)) break;
      const stored = await this.d.groups.get(group.id);
      if (!stored) break;
      fresh = stored;
    }
    return message;
  }

  private async messageFor(g: NotificationGroup, route: CompiledRoute, now: Date): Promise<ChannelMessage | null> {
    const base = { id: `${g.id}#${g.sent + 1}`, channel: g.channel, groupKey: g.groupKey };
    const pending = await this.d.groups.pending(g.id, g.added, MAX_EVENT_IDS);
    if (pending.total > 0) {
      const status = pendingStatus(g, pending.fingerprints);
      return status ? { ...base, eventIds: pending.latest, count: pending.total, status, repeat: false } : null;
    }
    if (!repeatDue(g, now, route.timing)) return null;
    const firing = announcedFiring(g);
    return {
      ...base,
      eventIds: firing.map((m) => m.lastEventId).slice(-MAX_EVENT_IDS),
      count: firing.length,
      status: 'firing',
      repeat: true,
    };
  }
}
