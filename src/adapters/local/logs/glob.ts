import { readdir, stat } from 'node:fs/promises';
import { isAbsolute, join, resolve, sep } from 'node:path';

const GLOB_CHARS = /[*?[]/;

/** `*` and `?` within one path segment, `[abc]`/`[!a-z]` classes, and `**` for any depth of directories. */
export function segmentRegex(segment: string): RegExp {
  let out = '';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        let body = segment.slice(i + 1, end).replace(/\\/g, '\\\\');
        if (body.startsWith('!')) body = '^' + body.slice(1);
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\\]]/g, '\\$&');
  }
  return new RegExp(`^${out}$`, 's');
}

export const hasGlob = (pattern: string): boolean => GLOB_CHARS.test(pattern);

/** The files (not directories) a pattern names now, sorted; relative patterns resolve against `cwd`. */
export async function expandGlob(pattern: string, cwd = process.cwd()): Promise<string[]> {
  const abs = isAbsolute(pattern) ? pattern : resolve(cwd, pattern);
  if (!hasGlob(abs)) return (await isFile(abs)) ? [abs] : [];
  const parts = abs.split(sep);
  const first = parts.findIndex((p) => GLOB_CHARS.test(p));
  const base = parts.slice(0, first).join(sep) || sep;
  const out = new Set<string>();
  await walk(base, parts.slice(first), out);
  return [...out].sort();
}

async function walk(dir: string, rest: string[], out: Set<string>): Promise<void> {
  if (rest.length === 0) {
    if (await isFile(dir)) out.add(dir);
    return;
  }
  const [seg, ...tail] = rest as [string, ...string[]];
  if (!GLOB_CHARS.test(seg)) return walk(join(dir, seg), tail, out);
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return;
  }
  if (seg === '**') {
    await walk(dir, tail, out);
    for (const e of entries) if (e.isDirectory()) await walk(join(dir, e.name), rest, out);
    return;
  }
  const re = segmentRegex(seg);
  for (const e of entries) if (re.test(e.name)) await walk(join(dir, e.name), tail, out);
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
