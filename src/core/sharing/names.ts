import { invalid } from '../errors.ts';

const MAX_NAME_BYTES = 255;

/**
 * Turns a client-given file name into a safe display/download name: the last path segment only, no
 * control or bidi-override characters, no leading dots, at most 255 UTF-8 bytes. Refuses names that are
 * empty after that, so `../../etc/passwd` becomes `passwd` and `..` is refused.
 */
export function sanitizeFileName(raw: unknown): string {
  if (typeof raw !== 'string') throw invalid('CAIRN_INVALID_FILE_NAME', 'name must be a string');
  let name = raw.normalize('NFC');
  const lastSep = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
  name = name.slice(lastSep + 1);
  // C0/C1 controls, DEL, and Unicode bidi overrides/isolates that disguise extensions (e.g. "exe.txt").
  name = name.replace(/[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
  name = name.replace(/^[.\s]+/, '').trim();
  if (name === '') {
    throw invalid('CAIRN_INVALID_FILE_NAME', 'name is empty once path separators and control characters are removed');
  }
  while (new TextEncoder().encode(name).length > MAX_NAME_BYTES) name = truncateKeepingExtension(name);
  return name;
}

function truncateKeepingExtension(name: string): string {
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  const stem = ext ? name.slice(0, dot) : name;
  return Array.from(stem).slice(0, -1).join('') + ext;
}

/** Content types are a `type/subtype` token; anything else becomes application/octet-stream. */
export function normalizeContentType(raw: unknown): string {
  if (typeof raw !== 'string' || raw.trim() === '') return 'application/octet-stream';
  const base = raw.split(';')[0]!.trim().toLowerCase();
  return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(base)
    ? base
    : 'application/octet-stream';
}
