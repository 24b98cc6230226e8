/**
 * GitHub webhooks: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body>`, keyed with the
 * webhook secret as UTF-8 text. GitHub sends no timestamp, so replays are caught by the delivery id
 * (`X-GitHub-Delivery`) only.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { signatureInvalid } from './errors.ts';
import type { SignatureVerifier, VerifyInput } from './verifier.ts';

export function signGithub(secret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export function githubVerifier(secret: string): SignatureVerifier {
  return {
    scheme: 'github',
    verify({ header, rawBody }: VerifyInput) {
      const value = header('x-hub-signature-256');
      if (!value) throw signatureInvalid('the X-Hub-Signature-256 header is missing');
      const m = /^sha256=([0-9a-fA-F]{64})$/.exec(value.trim());
      if (!m) throw signatureInvalid('X-Hub-Signature-256 must be sha256= followed by 64 hex digits');
      const expected = createHmac('sha256', secret).update(rawBody).digest();
      if (!timingSafeEqual(Buffer.from(m[1]!, 'hex'), expected))
        throw signatureInvalid('X-Hub-Signature-256 does not match the body');
    },
  };
}
