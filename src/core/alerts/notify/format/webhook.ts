/**
 * A generic webhook: the notification as JSON. The newest event travels whole (payload included);
 * the others as summaries, at most LISTED of them, so a storm of thousands stays a small request.
 * The sender signs it with Standard Webhooks headers when the channel has a secret.
 */
import type { Notification } from '../types.ts';

const LISTED = 50;

export function formatWebhook(n: Notification): Record<string, unknown> {
  return {
    type: n.status === 'resolved' ? 'notification.resolved' : 'notification.firing',
    id: n.id,
    channel: n.channel,
    groupKey: n.groupKey,
    status: n.status,
    count: n.count,
    repeat: n.repeat,
    event: n.latest,
    events: n.events.slice(-LISTED).map((e) => ({
      eventId: e.eventId,
      receivedAt: e.receivedAt,
      title: e.title,
      severity: e.severity,
      status: e.status,
      service: e.service,
      fingerprint: e.fingerprint,
    })),
  };
}
