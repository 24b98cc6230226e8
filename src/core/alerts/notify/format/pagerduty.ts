/**
 * PagerDuty Events API v2 (POST https://events.pagerduty.com/v2/enqueue). One event per fingerprint in
 * the notification, keyed by dedup_key = the fingerprint, so the trigger and the later resolve name the
 * same alert. summary ≤ 1024 characters, dedup_key ≤ 255; a resolve carries only routing_key, action
 * and dedup_key, as PagerDuty documents it.
 */
import type { EnrichedEvent, Severity } from '../../model.ts';
import { stableHash } from '../hash.ts';
import type { FormatContext, Notification } from '../types.ts';
import { contentOf } from './content.ts';
import { oneLine, truncate } from './text.ts';

/** Cairn's severities to PagerDuty's (the same four words, named here so a change on either side shows). */
export const PAGERDUTY_SEVERITY: Record<Severity, 'critical' | 'error' | 'warning' | 'info'> = {
  critical: 'critical',
  error: 'error',
  warning: 'warning',
  info: 'info',
};

/** The fingerprint, or a stable shortening of it when PagerDuty's 255-character limit would cut it. */
export const dedupKeyOf = (fingerprint: string): string =>
  fingerprint.length <= 255 ? fingerprint : `${fingerprint.slice(0, 200)}~${stableHash(fingerprint)}`;

export interface PagerDutyEvent {
  fingerprint: string;
  /** Events of the notification this PagerDuty event speaks for. */
  eventIds: string[];
  body: Record<string, unknown>;
}

function labelsWithin(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels).slice(0, 50)) out[truncate(k, 100)] = truncate(v, 1000);
  return out;
}

function eventBody(n: Notification, e: EnrichedEvent, count: number, routingKey: string, ctx: FormatContext) {
  const dedup_key = dedupKeyOf(e.fingerprint);
  if (e.status === 'resolved') return { routing_key: routingKey, event_action: 'resolve', dedup_key };
  const c = contentOf({ ...n, latest: e, count }, ctx);
  const links = [
    c.runbook ? { href: c.runbook, text: 'Runbook' } : null,
    c.eventUrl ? { href: c.eventUrl, text: 'Open in Cairn' } : null,
  ].filter((l) => l !== null);
  return {
    routing_key: routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: truncate(oneLine(c.headline), 1024),
      source: truncate(e.service ?? e.source, 255),
      severity: PAGERDUTY_SEVERITY[e.severity],
      timestamp: e.receivedAt,
      ...(e.service ? { component: truncate(e.service, 255) } : {}),
      ...(e.labels.team ? { group: truncate(e.labels.team, 255) } : {}),
      class: truncate(e.source, 255),
      custom_details: {
        summary: truncate(e.summary, 8000),
        count,
        source: e.source,
        event_id: e.eventId,
        labels: labelsWithin(e.labels),
      },
    },
    client: 'Cairn',
    ...(c.eventUrl ? { client_url: c.eventUrl } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}

/** One PagerDuty event per fingerprint, from its newest event: trigger when firing, resolve when resolved. */
export function formatPagerDuty(n: Notification, routingKey: string, ctx: FormatContext = {}): PagerDutyEvent[] {
  const byFingerprint = new Map<string, EnrichedEvent[]>();
  for (const e of n.events) byFingerprint.set(e.fingerprint, [...(byFingerprint.get(e.fingerprint) ?? []), e]);
  const single = byFingerprint.size === 1;
  return [...byFingerprint].map(([fingerprint, events]) => {
    const newest = events[events.length - 1]!;
    const count = single ? n.count : events.length;
    return { fingerprint, eventIds: events.map((e) => e.eventId), body: eventBody(n, newest, count, routingKey, ctx) };
  });
}
