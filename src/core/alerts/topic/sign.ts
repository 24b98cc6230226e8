/**
 * Outbound Standard Webhooks headers (the signature scheme itself lives with ingest's verifier, in
 * ingest/standard-webhooks.ts): webhook-id, webhook-timestamp (Unix seconds) and webhook-signature.
 */
import { signStandardWebhook, standardWebhooksKey } from '../ingest/index.ts';

export const SECRET_PREFIX = 'whsec_';

/** The three headers a receiver verifies. `where` names the secret's owner if it is not a whsec_ value. */
export function standardWebhookHeaders(
  secret: string,
  id: string,
  timestampSeconds: number,
  body: string,
  where = 'webhook secret',
): Record<string, string> {
  const signature = signStandardWebhook(standardWebhooksKey(secret, where), id, timestampSeconds, body);
  return { 'webhook-id': id, 'webhook-timestamp': String(timestampSeconds), 'webhook-signature': signature };
}

/** A fresh secret: whsec_ and 32 random bytes in base64. */
export function newWebhookSecret(): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(32));
  return SECRET_PREFIX + btoa(String.fromCharCode(...bytes));
}
