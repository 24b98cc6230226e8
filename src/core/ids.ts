/** Random identifiers from the Web Crypto API (available in Node and Lambda; no I/O). */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A url-safe random id. 22 chars of base62 ≈ 131 bits; share ids use 32 (≈ 190 bits). */
export function randomId(length = 22): string {
  const out: string[] = [];
  // Rejection sampling keeps the distribution uniform (256 is not a multiple of 62).
  while (out.length < length) {
    const bytes = globalThis.crypto.getRandomValues(new Uint8Array(length * 2));
    for (const b of bytes) {
      if (b < 248 && out.length < length) out.push(ALPHABET[b % 62]!);
    }
  }
  return out.join('');
}

export const newShareId = () => randomId(32);
export const newFileId = () => `f_${randomId(22)}`;
export const newEventId = () => `evt_${randomId(22)}`;
