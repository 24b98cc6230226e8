/**
 * Standard Webhooks (standardwebhooks.com, spec 1.0): HMAC-SHA256 with the base64 key of a `whsec_…`
 * secret over `{webhook-id}.{webhook-timestamp}.{raw body}`; `webhook-signature` is a space-separated
 * list of `v1,<base64>` entries (several during a key rotation), any one of which may match; the
 * timestamp (Unix seconds) must be within the tolerance either way, against replays.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalidWebhookSecret, signatureInvalid, staleTimestamp } from './errors.ts';
import type { SignatureVerifier, VerifyInput } from './verifier.ts';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** The HMAC key of a `whsec_<base64>` secret (the prefix is optional, as in the reference libraries). */
export function standardWebhooksKey(secret: string, configPath = 'secret'): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  if (!BASE64.test(b64) || b64.length % 4 === 1) throw invalidWebhookSecret(configPath);
  return Buffer.from(b64, 'base64');
}

/** Signs as a Standard Webhooks sender would: the value of the `webhook-signature` header. */
export function signStandardWebhook(key: Buffer, id: string, timestamp: number, body: Uint8Array | string): string {
  const mac = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
  return `v1,${mac}`;
}

export function standardWebhooksVerifier(key: Buffer, toleranceSeconds: number): SignatureVerifier {
  return {
    scheme: 'standard-webhooks',
    verify({ header, rawBody, now }: VerifyInput) {
      const id = header('webhook-id');
      const timestamp = header('webhook-timestamp');
      const signatures = header('webhook-signature');
      if (!id) throw signatureInvalid('the webhook-id header is missing');
      if (!timestamp) throw signatureInvalid('the webhook-timestamp header is missing');
      if (!signatures) throw signatureInvalid('the webhook-signature header is missing');
      if (!/^\d{1,12}$/.test(timestamp)) throw signatureInvalid('webhook-timestamp must be Unix seconds');

      const expected = createHmac('sha256', key).update(`${id}.${timestamp}.`).update(rawBody).digest();
      let matched = false;
      for (const entry of signatures.split(' ')) {
        const comma = entry.indexOf(',');
        if (comma < 0 || entry.slice(0, comma) !== 'v1') continue; // v1a (asymmetric) and future versions
        const given = Buffer.from(entry.slice(comma + 1), 'base64');
        // Every entry is compared (no early exit), each in constant time over equal lengths.
        if (given.length === expected.length && timingSafeEqual(given, expected)) matched = true;
      }
      if (!matched) throw signatureInvalid('no v1 entry of the webhook-signature header matches the body');

      const skew = now.getTime() / 1000 - Number(timestamp);
      if (Math.abs(skew) > toleranceSeconds) throw staleTimestamp(skew, toleranceSeconds);
    },
  };
}
