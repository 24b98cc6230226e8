/**
 * Webhooks that API Gateway puts on the `events` queue itself (a direct SQS integration, no Lambda in
 * front) arrive unverified, so the enrich worker verifies them first. The CDK app's mapping template
 * sends this envelope as the message body:
 *   { "v": 1, "source": "<path {source}>", "receivedAt": <$context.requestTimeEpoch>,
 *     "headers": { <request headers> }, "body": "<$util.base64Encode($input.body)>" }
 * IngestService checks it exactly as the local HTTP route does (known source, size, JSON content type,
 * signature over the raw bytes, delivery id) — its queue here only captures the event instead of
 * sending it. A refused envelope is dropped (logged and counted), never retried: it cannot get better.
 */
import type { IngestService } from '../../core/alerts/ingest/service.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';

export interface WebhookEnvelope {
  v: 1;
  source: string;
  receivedAt: number;
  headers: Record<string, string>;
  body: string;
}

export const isWebhookEnvelope = (v: unknown): v is WebhookEnvelope =>
  typeof v === 'object' &&
  v !== null &&
  (v as WebhookEnvelope).v === 1 &&
  typeof (v as WebhookEnvelope).body === 'string';

/** Verifies an envelope with a service built by `ingestFor` around the capturing queue it is given. */
export async function verifyEnvelope(
  envelope: WebhookEnvelope,
  ingestFor: (capture: { send(e: IngestedEvent): Promise<{ id: string; duplicate: boolean }> }) => IngestService,
): Promise<IngestedEvent> {
  let captured: IngestedEvent | undefined;
  const service = ingestFor({
    send: async (e) => {
      captured = e;
      return { id: e.eventId, duplicate: false };
    },
  });
  await service.accept({
    source: envelope.source,
    headers: envelope.headers,
    rawBody: Buffer.from(envelope.body, 'base64'),
    receivedAt: new Date(envelope.receivedAt),
  });
  return captured!;
}
