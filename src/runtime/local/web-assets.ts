import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { Readable } from 'node:stream';
import type { MiddlewareHandler } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built web UI (dist/web) for GET requests that no API route took: a real file when one
 * exists, else index.html so client-side routes such as /s/{id} (the share landing page) work.
 */
export function webAssets(root: string): MiddlewareHandler {
  const base = resolve(root);
  return async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return next();
    const rel = normalize(decodeURIComponent(c.req.path)).replace(/^([/\\])+/, '');
    let file = join(base, rel);
    if (!file.startsWith(base + sep) && file !== base) return next();
    const isAsset = rel.startsWith('assets' + sep) || rel.startsWith('assets/');
    if (!existsSync(file) || !statSync(file).isFile()) {
      if (isAsset || extname(rel)) return next();
      file = join(base, 'index.html');
      if (!existsSync(file)) return c.text('The web UI is not built yet: run `npm run build:web`.', 503);
    }
    c.header('Content-Type', TYPES[extname(file)] ?? 'application/octet-stream');
    // Vite fingerprints asset names, so they can be cached for good; the HTML must be revalidated.
    c.header('Cache-Control', isAsset ? 'public, max-age=31536000, immutable' : 'no-cache');
    return c.body(Readable.toWeb(createReadStream(file)) as ReadableStream);
  };
}
