/**
 * A fast, stable, non-cryptographic string hash (cyrb53, public domain) for names that must not change
 * between runs: route keys, group ids, over-long PagerDuty dedup keys, Message-IDs. Two seeds give 106 bits.
 */
function cyrb53(text: string, seed: number): string {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** 28 hex characters, the same for the same text everywhere. */
export const stableHash = (text: string): string => cyrb53(text, 1) + cyrb53(text, 2);
