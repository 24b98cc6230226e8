import type { StoredEvent } from '../../../ports/alerts.ts';
import type { EnrichedEvent } from '../model.ts';

/** The enriched event alone, without what history keeps around it (raw body, deliveries, expiry). */
export function enrichedOf(e: StoredEvent | EnrichedEvent): EnrichedEvent {
  return {
    eventId: e.eventId,
    source: e.source,
    receivedAt: e.receivedAt,
    enrichedAt: e.enrichedAt,
    title: e.title,
    summary: e.summary,
    severity: e.severity,
    status: e.status,
    service: e.service,
    fingerprint: e.fingerprint,
    labels: e.labels,
    enrichment: e.enrichment,
    payload: e.payload,
  };
}
