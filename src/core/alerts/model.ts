/**
 * The notification hub's domain: an event as accepted at the edge, then enriched, stored, published
 * and delivered. These shapes are the contracts between ingest, the enrich worker, history, the topic
 * and the notifier (see docs/hub.md).
 */

/** What ingest durably queues for the enrich worker (the body of a message on the `events` queue). */
export interface IngestedEvent {
  eventId: string;
  /** The source name from cairn.yaml (`alerts.sources`), or `cairn` for internal domain events. */
  source: string;
  /** UTC ISO 8601. */
  receivedAt: string;
  /** The webhook-id / Idempotency-Key / X-GitHub-Delivery the sender gave, if any. */
  deliveryId: string | null;
  /** The raw request body (UTF-8 JSON text), kept verbatim for history. */
  rawBody: string;
  /** A few request headers worth keeping (e.g. x-github-event), lower-cased names. */
  headers: Record<string, string>;
}

export type Severity = 'critical' | 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

/** firing: a problem; resolved: the source says the condition cleared (PagerDuty gets a resolve). */
export type EventStatus = 'firing' | 'resolved';

export interface EnrichedEvent {
  eventId: string;
  source: string;
  receivedAt: string;
  /** When the enrich worker finished, UTC ISO 8601. */
  enrichedAt: string;
  title: string;
  summary: string;
  severity: Severity;
  status: EventStatus;
  service: string | null;
  /**
   * Stable identity of the condition across firing/resolved events (PagerDuty dedup_key, grouping):
   * from the source's own id field when configured, else a hash of source + title + service.
   */
  fingerprint: string;
  /** Routing keys and enrichment results as flat strings (team, owner, runbook, env…). */
  labels: Record<string, string>;
  /** Everything enrichment added, with where it came from (static table, http lookup, module). */
  enrichment: Record<string, unknown>;
  /** The parsed JSON body as received. */
  payload: unknown;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

/** One channel's delivery of one event (or of a group notification containing it). */
export interface DeliveryRecord {
  id: string;
  eventId: string;
  /** `channel:<name>` for notifier channels, `subscription:<id>` for topic subscribers. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}
