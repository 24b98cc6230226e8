/**
 * Grouping and throttling as Alertmanager does it, as pure state transitions over a NotificationGroup
 * (one per route, channel and group key):
 * - the first event of a new group waits `groupWait` (0: it goes out at once);
 * - later events are batched and go out together at most once per `groupInterval` (a storm of 500
 *   becomes one message "(×500)", plus one follow-up per interval while it lasts);
 * - a group that is still firing is reminded of every `repeatInterval`, not before;
 * - a resolve of something we announced goes out at once (PagerDuty closes the incident); a resolve of
 *   something never announced is dropped.
 * The notifier reads a group, applies these functions and writes back under the version it read.
 */
import type { GroupMember, NotificationGroup } from '../../../ports/alerts-topic.ts';
import type { EventStatus } from '../model.ts';

export interface GroupTiming {
  groupWaitMs: number;
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export interface IncomingEvent {
  eventId: string;
  fingerprint: string;
  status: EventStatus;
}

export function newGroup(
  id: string,
  routeKey: string,
  channel: string,
  groupKey: string,
  now: Date,
): NotificationGroup {
  return {
    id,
    routeKey,
    channel,
    groupKey,
    createdAt: now,
    lastSentAt: null,
    nextFlushAt: null,
    sent: 0,
    added: 0,
    members: {},
    version: 0,
  };
}

const at = (ms: number) => new Date(ms);
const earliest = (a: Date | null, b: Date) => (a && a.getTime() <= b.getTime() ? a : b);

/** The group after one more event (its `added` count is the event's seq in the pending list). */
export function withEvent(g: NotificationGroup, e: IncomingEvent, now: Date, t: GroupTiming): NotificationGroup {
  const previous = g.members[e.fingerprint];
  const member: GroupMember = { status: e.status, lastEventId: e.eventId, notified: previous?.notified ?? false };
  let due: Date;
  if (e.status === 'resolved' && member.notified) due = now;
  else if (g.lastSentAt === null) due = at(g.createdAt.getTime() + t.groupWaitMs);
  else due = at(Math.max(now.getTime(), g.lastSentAt.getTime() + t.groupIntervalMs));
  return {
    ...g,
    members: { ...g.members, [e.fingerprint]: member },
    added: g.added + 1,
    nextFlushAt: earliest(g.nextFlushAt, due),
    version: g.version + 1,
  };
}

/** What a flush should announce about the pending events of these fingerprints, or null: nothing worth it. */
export function pendingStatus(g: NotificationGroup, fingerprints: string[]): EventStatus | null {
  const touched = fingerprints.map((fp) => g.members[fp]).filter((m) => m !== undefined);
  if (touched.some((m) => m.status === 'firing')) return 'firing';
  return touched.some((m) => m.notified) ? 'resolved' : null;
}

/** Members a reminder speaks for: firing and already announced. */
export const announcedFiring = (g: NotificationGroup): GroupMember[] =>
  Object.values(g.members).filter((m) => m.status === 'firing' && m.notified);

export const repeatDue = (g: NotificationGroup, now: Date, t: GroupTiming): boolean =>
  g.lastSentAt !== null &&
  now.getTime() >= g.lastSentAt.getTime() + t.repeatIntervalMs &&
  announcedFiring(g).length > 0;

/**
 * The group after a flush that looked at `snapshot` (pending up to snapshot.added) and sent a
 * notification or not. `fresh` is the group as stored now: events may have arrived meanwhile; they stay
 * pending and keep their members. Returns null when nothing is left to track (the group is deleted),
 * and `fresh` itself when another flusher already committed this one.
 */
export function afterFlush(
  fresh: NotificationGroup,
  snapshot: NotificationGroup,
  sent: boolean,
  now: Date,
  t: GroupTiming,
): NotificationGroup | null {
  if (fresh.sent > snapshot.sent) return fresh;
  const members: Record<string, GroupMember> = {};
  for (const [fp, m] of Object.entries(fresh.members)) {
    const seen = snapshot.members[fp];
    const unchanged = seen !== undefined && seen.lastEventId === m.lastEventId;
    if (unchanged && m.status === 'resolved') continue; // announced, or never worth announcing: done
    members[fp] = { ...m, notified: m.notified || (sent && seen?.status === 'firing') };
  }
  const lastSentAt = sent ? now : fresh.lastSentAt;
  const remaining = fresh.added > snapshot.added;
  if (!remaining && Object.keys(members).length === 0) return null;
  const candidates: number[] = [];
  if (remaining) {
    const promptResolve = Object.entries(members).some(
      ([fp, m]) => m.status === 'resolved' && m.notified && snapshot.members[fp]?.lastEventId !== m.lastEventId,
    );
    if (promptResolve || lastSentAt === null)
      candidates.push(promptResolve ? now.getTime() : (fresh.nextFlushAt ?? now).getTime());
    else candidates.push(Math.max(now.getTime(), lastSentAt.getTime() + t.groupIntervalMs));
  }
  const next = { ...fresh, members, lastSentAt };
  if (lastSentAt && announcedFiring(next).length > 0) candidates.push(lastSentAt.getTime() + t.repeatIntervalMs);
  return {
    ...next,
    sent: fresh.sent + (sent ? 1 : 0),
    nextFlushAt: candidates.length > 0 ? at(Math.min(...candidates)) : null,
    version: fresh.version + 1,
  };
}
