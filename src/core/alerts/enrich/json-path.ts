/** Reads `$.a.b[0]`-style paths (the subset config allows) from parsed JSON; undefined when absent. */
export function readPath(value: unknown, path: string): unknown {
  if (path === '$') return value;
  let node: unknown = value;
  for (const m of path.slice(1).matchAll(/\.([A-Za-z_$][\w$-]*)|\[(\d+)\]/g)) {
    if (node === null || typeof node !== 'object') return undefined;
    node = m[1] !== undefined ? (node as Record<string, unknown>)[m[1]] : (node as unknown[])[Number(m[2])];
  }
  return node;
}

/** A scalar as a label string; objects and arrays are not labels. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
