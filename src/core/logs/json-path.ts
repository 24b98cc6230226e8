import type { PathSegment } from './types.ts';

const hasOwn = Object.prototype.hasOwnProperty;

/**
 * The values a selector reaches in a parsed event: none when a step is missing (or is not an object or
 * array), several when the path has `.*` / `[*]`. Own properties only, so `$.constructor` is not found.
 */
export function resolvePath(root: unknown, path: readonly PathSegment[]): unknown[] {
  let current: unknown[] = [root];
  for (const seg of path) {
    const next: unknown[] = [];
    for (const v of current) {
      if (typeof v !== 'object' || v === null) continue;
      if (seg.kind === 'key') {
        if (!Array.isArray(v) && hasOwn.call(v, seg.key)) next.push((v as Record<string, unknown>)[seg.key]);
      } else if (seg.kind === 'index') {
        if (Array.isArray(v) && seg.index < v.length) next.push(v[seg.index]);
      } else if (Array.isArray(v)) {
        for (const item of v) next.push(item);
      } else {
        for (const k of Object.keys(v)) next.push((v as Record<string, unknown>)[k]);
      }
    }
    if (next.length === 0) return next;
    current = next;
  }
  return current;
}

/** resolvePath for a path without wildcards: the single value, or undefined when it is missing. */
export function resolveOne(root: unknown, path: readonly PathSegment[]): unknown {
  let v = root;
  for (const seg of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    if (seg.kind === 'key') {
      if (Array.isArray(v) || !hasOwn.call(v, seg.key)) return undefined;
      v = (v as Record<string, unknown>)[seg.key];
    } else if (seg.kind === 'index') {
      if (!Array.isArray(v) || seg.index >= v.length) return undefined;
      v = v[seg.index];
    } else return resolvePath(root, path)[0];
  }
  return v;
}
