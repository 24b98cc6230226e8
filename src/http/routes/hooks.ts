/**
 * Webhook ingest: `POST /hooks/:source` → 202 `{ eventId, duplicate }` once the event is durably queued.
 * The body is read with a hard cap: a Content-Length over the limit is refused before reading, and a
 * body without one (chunked) is read only up to the limit. A refused body closes the connection, so its
 * remaining bytes are never read.
 */
import { Hono, type Context } from 'hono';
import { bodyTooLarge } from '../../core/alerts/ingest/errors.ts';
import type { IngestService } from '../../core/alerts/ingest/service.ts';
import { errorBody } from '../error-mapper.ts';

export interface HookRouteDeps {
  ingest: IngestService;
}

export function hookRoutes(deps: HookRouteDeps) {
  const app = new Hono();
  app.post('/:source', async (c) => {
    const source = c.req.param('source');
    deps.ingest.requireSource(source);
    const rawBody = await readCappedBody(c, deps.ingest.maxBodyBytes);
    const { eventId, duplicate } = await deps.ingest.accept({ source, headers: c.req.header(), rawBody });
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

/** Reads at most `max` bytes of the body; throws CAIRN_BODY_TOO_LARGE (and closes the connection) past it. */
export async function readCappedBody(c: Context, max: number): Promise<Uint8Array> {
  const tooBig = () => {
    c.header('Connection', 'close');
    return bodyTooLarge(max);
  };
  const declared = c.req.header('content-length');
  if (declared !== undefined) {
    // The HTTP parser delivers exactly Content-Length bytes, so this read is bounded by the check.
    if (Number(declared) > max) throw tooBig();
    return new Uint8Array(await c.req.arrayBuffer());
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
      throw tooBig();
    }
    chunks.push(value);
  }
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}
