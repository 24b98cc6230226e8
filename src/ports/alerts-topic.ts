/**
 * Ports of the hub's fan-out and notifier state: subscriptions and silences added at runtime (through
 * the admin API and the UI), and the grouping state of the notifier, which must survive restarts.
 * Local: SQLite tables (migration 300). AWS: DynamoDB items (version-conditioned writes).
 */
import type { FilterPolicy, FilterPolicyScope } from '../core/alerts/filter-policy/index.ts';
import type { DeliveryRecord, DeliveryStatus, EventStatus } from '../core/alerts/model.ts';
import type { Page, PageRequest } from './repositories.ts';

/** A topic subscription added at runtime (config ones live in cairn.yaml). */
export interface SubscriptionRecord {
  name: string;
  endpoint: string;
  /** The Standard Webhooks secret (`whsec_…`) deliveries are signed with. */
  secret: string;
  filterPolicy: FilterPolicy | null;
  filterPolicyScope: FilterPolicyScope;
  maxReceiveCount: number;
  /** UTC ISO 8601. */
  createdAt: string;
}

export interface SubscriptionStore {
  /** Creates the subscription, or replaces the one with the same name. */
  put(subscription: SubscriptionRecord): Promise<void>;
  get(name: string): Promise<SubscriptionRecord | null>;
  /** Returns whether there was one to delete. */
  delete(name: string): Promise<boolean>;
  /** Every runtime subscription, by name (there are few: the topic reads them on each publish). */
  list(): Promise<SubscriptionRecord[]>;
}

/** A one-off silence added at runtime (recurring windows are configuration). */
export interface SilenceRecord {
  id: string;
  /** SNS filter policy over the event's attributes. */
  match: FilterPolicy;
  /** UTC ISO 8601; the silence holds for startsAt <= now < endsAt. */
  startsAt: string;
  endsAt: string;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
}

export interface SilenceStore {
  create(silence: SilenceRecord): Promise<void>;
  get(id: string): Promise<SilenceRecord | null>;
  /** Ends the silence at `at` if it has not ended before; returns it as stored afterwards (null: no such id). */
  expire(id: string, at: Date): Promise<SilenceRecord | null>;
  /** Silences that have not ended at `now` (active or still to come): what the notifier checks. */
  current(now: Date): Promise<SilenceRecord[]>;
  /** All silences, newest first (the admin API). */
  list(page: PageRequest): Promise<Page<SilenceRecord>>;
}

/** One fingerprint's state inside a notification group. */
export interface GroupMember {
  status: EventStatus;
  /** The newest event seen for this fingerprint. */
  lastEventId: string;
  /** Whether a firing notification has gone out for it (a resolve is only worth sending then). */
  notified: boolean;
}

/** The notifier's state for one (route, channel, group key): see core/alerts/notify/grouping.ts. */
export interface NotificationGroup {
  id: string;
  /** Names the route definition the group belongs to (index and a hash of its config). */
  routeKey: string;
  channel: string;
  /** `label=value` pairs of the route's groupBy, e.g. `service=api,team=core`. */
  groupKey: string;
  createdAt: Date;
  lastSentAt: Date | null;
  /** When the notifier should look at the group again; null = nothing scheduled. */
  nextFlushAt: Date | null;
  /** Notifications sent so far; the next one is named `<id>#<sent + 1>`. */
  sent: number;
  /** Events added so far; each pending event carries the value it was added with (its `seq`). */
  added: number;
  members: Record<string, GroupMember>;
  /** Optimistic concurrency: every write names the version it read; 0 = the group does not exist yet. */
  version: number;
}

export interface NotificationGroupRepository {
  get(id: string): Promise<NotificationGroup | null>;
  /** Groups whose nextFlushAt is at or before `now`, soonest first. */
  due(now: Date, limit: number): Promise<NotificationGroup[]>;
  /**
   * Pending events with seq <= upTo: how many, the ids of the newest `limit` of them (oldest first), and
   * the distinct fingerprints among them all.
   */
  pending(
    id: string,
    upTo: number,
    limit: number,
  ): Promise<{ total: number; latest: string[]; fingerprints: string[] }>;
  /**
   * Atomically, if the stored version is still `expectedVersion` (0: no group yet): stores `group` and adds
   * the event to its pending list. 'duplicate' (nothing written) when the event is already pending there.
   */
  addEvent(
    group: NotificationGroup,
    expectedVersion: number,
    event: { eventId: string; fingerprint: string; seq: number },
  ): Promise<'added' | 'duplicate' | 'conflict'>;
  /**
   * Atomically, if the stored version is still `expectedVersion`: removes the pending events with
   * seq <= upTo and stores `group`, or deletes the group when it is null. false on a version conflict.
   */
  commitFlush(id: string, expectedVersion: number, upTo: number, group: NotificationGroup | null): Promise<boolean>;
}

/**
 * DeliveryRepository (ports/alerts.ts) for a whole notification at once: a storm's 500 events cost one
 * durable write per call instead of one per event. Same semantics as ensure/recordAttempt.
 */
export interface DeliveryBatches {
  ensureAll(eventIds: string[], target: string): Promise<DeliveryRecord[]>;
  recordAttempts(ids: string[], outcome: { status: DeliveryStatus; error: string | null; at: Date }): Promise<void>;
}
