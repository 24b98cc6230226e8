/**
 * Webhook ingest: `POST /hooks/:source` → 202 `{ eventId, duplicate }` once the event is durably queued.
 * The body is read with a hard cap: a Content-Length over the limit is refused before reading, and a
 * body without one (chunked) is read only up to the limit. A refused body closes the connection, so its
 * remaining bytes are never read.
 */
import type { IncomingMessage } from 'node:http';
import { Hono, type Context } from 'hono';
import { bodyTooLarge } from '../../core/alerts/ingest/errors.ts';
import type { IngestService } from '../../core/alerts/ingest/service.ts';
import { errorBody } from '../error-mapper.ts';

export interface HookRouteDeps {
  ingest: IngestService;
}

type HeaderRecord = Readonly<Record<string, string | undefined>>;

export function hookRoutes(deps: HookRouteDeps) {
  const app = new Hono();
  app.post('/:source', async (c) => {
    const source = c.req.param('source');
    deps.ingest.requireSource(source);
    const rawBody = await readCappedBody(c, deps.ingest.maxBodyBytes);
    const { eventId, duplicate } = await deps.ingest.accept({ source, headers: requestHeaders(c), rawBody });
    return c.json({ eventId, duplicate }, 202);
  });
  app.on(['GET', 'HEAD', 'PUT', 'PATCH', 'DELETE'], '/:source', (c) =>
    c.json(
      errorBody(
        'CAIRN_METHOD_NOT_ALLOWED',
        `Webhooks are delivered here with POST (JSON body, signed as alerts.sources.<name>.verify says); ${c.req.method} is not supported.`,
      ),
      405,
      { Allow: 'POST' },
    ),
  );
  return app;
}

/**
 * The request headers, lower-cased. On Node, the parser's own record when no name came twice (then its
 * values equal Hono's): Hono's c.req.header() would build a Headers object and copy it per request.
 * Otherwise (a repeated name, which Node keeps first-only for some headers and Hono joins) and on
 * Lambda, Hono's record.
 */
function requestHeaders(c: Context): HeaderRecord {
  const incoming = nodeRequest(c);
  if (incoming?.rawHeaders) {
    const headers = incoming.headers;
    let names = 0;
    for (const _ in headers) names += 1;
    if (names * 2 === incoming.rawHeaders.length && !('set-cookie' in headers)) return headers as HeaderRecord;
  }
  return c.req.header();
}

/** Reads at most `max` bytes of the body; throws CAIRN_BODY_TOO_LARGE (and closes the connection) past it. */
export async function readCappedBody(c: Context, max: number): Promise<Uint8Array> {
  const declared = contentLength(c);
  if (declared !== undefined) {
    // The HTTP parser delivers exactly Content-Length bytes, so this read is bounded by the check.
    if (Number(declared) > max) throw tooBig(c, max);
    return new Uint8Array(await c.req.arrayBuffer()); // on Node, read straight from the request stream
  }
  const body = c.req.raw.body;
  if (!body) return new Uint8Array(0);
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      reader.releaseLock();
      throw tooBig(c, max);
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

function tooBig(c: Context, max: number) {
  c.header('Connection', 'close');
  return bodyTooLarge(max);
}

/** Node's parser refuses a request with two different Content-Length values, so its record is exact. */
function contentLength(c: Context): string | undefined {
  const incoming = nodeRequest(c);
  return incoming?.headers ? incoming.headers['content-length'] : c.req.header('content-length');
}

/** The Node request under @hono/node-server; undefined on Lambda and in app.request() tests. */
function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}
