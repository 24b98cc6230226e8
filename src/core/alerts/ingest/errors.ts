/**
 * The errors ingest answers with (documented in docs/errors.md). Messages say which header or limit
 * was at fault, never the secret or the expected signature.
 */
import { CairnError, invalid, notFound, tooLarge, unauthorized } from '../../errors.ts';

const shown = (text: string) => (text.length > 64 ? `${text.slice(0, 64)}…` : text);

export const unknownSource = (source: string) =>
  notFound('CAIRN_UNKNOWN_SOURCE', `No webhook source named "${shown(source)}" is configured under alerts.sources.`);

export const bodyTooLarge = (maxBytes: number) =>
  tooLarge('CAIRN_BODY_TOO_LARGE', `Webhook bodies are limited to ${maxBytes} bytes (alerts.maxBodyBytes).`);

export const notJson = (contentType: string | undefined) =>
  new CairnError(
    'CAIRN_UNSUPPORTED_MEDIA_TYPE',
    'unsupported_media',
    `Send the webhook body as UTF-8 JSON with Content-Type: application/json (got ${contentType ? `"${shown(contentType)}"` : 'no Content-Type'}).`,
  );

export const signatureInvalid = (why: string) =>
  unauthorized('CAIRN_SIGNATURE_INVALID', `The webhook was refused: ${why}.`);

export const staleTimestamp = (skewSeconds: number, toleranceSeconds: number) =>
  unauthorized(
    'CAIRN_WEBHOOK_TIMESTAMP',
    `The webhook was refused: webhook-timestamp is ${Math.round(Math.abs(skewSeconds))} s ${skewSeconds > 0 ? 'in the past' : 'in the future'}, more than the ${toleranceSeconds} s allowed (a replay, or a clock out of sync).`,
  );

export const invalidJson = (reason: string) =>
  invalid('CAIRN_INVALID_JSON', `The webhook body is not valid JSON: ${reason}`);

export const invalidDeliveryId = (header: string) =>
  invalid(
    'CAIRN_INVALID_DELIVERY_ID',
    `The ${header} header must be 1 to 256 visible ASCII characters (it identifies the delivery for deduplication).`,
  );

/** A source whose secret cannot be found: raised once, at start, naming the source and the key. */
export const secretMissing = (path: string, why: string) =>
  new CairnError('CAIRN_CONFIG_INVALID', 'invalid', `${path}: ${why}`);

/** A Standard Webhooks source whose secret is not `whsec_<base64>`: raised once, at start. */
export const invalidWebhookSecret = (path: string) =>
  new CairnError(
    'CAIRN_INVALID_WEBHOOK_SECRET',
    'invalid',
    `${path}: a Standard Webhooks secret is "whsec_" followed by base64`,
  );
