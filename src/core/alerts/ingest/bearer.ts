/**
 * A static token: `Authorization: Bearer <token>`. The token and the secret are compared through their
 * SHA-256 digests, so the comparison takes the same time whatever their lengths.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { signatureInvalid } from './errors.ts';
import type { SignatureVerifier, VerifyInput } from './verifier.ts';

const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();

export function bearerVerifier(token: string): SignatureVerifier {
  const expected = digest(token);
  return {
    scheme: 'bearer',
    verify({ header }: VerifyInput) {
      const value = header('authorization');
      if (!value) throw signatureInvalid('the Authorization header is missing');
      const m = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(value);
      if (!m) throw signatureInvalid('the Authorization header must be "Bearer <token>"');
      if (!timingSafeEqual(digest(m[1]!), expected))
        throw signatureInvalid('the bearer token is not the one configured');
    },
  };
}
