/** Human units for config files and the CLI: `90s`, `15m`, `12h`, `2d`, `1w`; `512KiB`, `5GiB`, `10MB`. */
const DURATION = /^(\d+)\s*(s|m|h|d|w)?$/i;
const SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };

/** Seconds in a duration like `2d`; a bare number is seconds. Returns null when it is not one. */
export function parseDurationSeconds(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  const m = DURATION.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * SECONDS[(m[2] ?? 's').toLowerCase()]!;
}

const SIZE = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)?$/i;
const BYTES: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** Bytes in a size like `5GiB` or `10 MB`; a bare number is bytes. Returns null when it is not one. */
export function parseByteSize(value: string | number): number | null {
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 ? value : null;
  const m = SIZE.exec(value.trim());
  if (!m) return null;
  const n = Math.round(Number(m[1]) * BYTES[(m[2] ?? 'b').toLowerCase()]!);
  return Number.isSafeInteger(n) ? n : null;
}
