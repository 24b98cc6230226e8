/**
 * What a download tells the browser, on every runtime (the local object server, and S3's response-header
 * overrides on AWS): always `Content-Disposition: attachment` with an ASCII fallback and the exact UTF-8
 * name (RFC 6266/8187), and a content type from an allow-list of inert types — anything that could
 * render as active content (text/html, image/svg+xml, XML, JavaScript) is served as application/octet-stream.
 */

const SAFE_TYPES = new Set([
  'application/octet-stream',
  'application/pdf',
  'application/zip',
  'application/gzip',
  'application/json',
  'text/plain',
  'text/csv',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'image/avif',
  'audio/mpeg',
  'audio/ogg',
  'audio/wav',
  'video/mp4',
  'video/webm',
  'video/ogg',
]);

/** Percent-encodes everything but RFC 3986 unreserved characters. */
export const strictEncode = (s: string): string =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

export function safeContentType(stored: string | undefined): string {
  const essence = (stored ?? '').split(';')[0]!.trim().toLowerCase();
  return SAFE_TYPES.has(essence) ? essence : 'application/octet-stream';
}

export function contentDisposition(name: string): string {
  const clean = name
    .replace(/[\p{Cc}\p{Bidi_Control}"\\]/gu, '')
    .replace(/\//g, '_')
    .trim();
  const full = clean === '' || clean === '.' || clean === '..' ? 'download' : clean;
  const ascii = full.replace(/[^\u0020-\u007e]|%/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${strictEncode(full)}`;
}
