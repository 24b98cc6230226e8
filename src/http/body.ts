import type { Context } from 'hono';
import { CairnError, invalid, tooLarge } from '../core/errors.ts';

const MAX_JSON_BYTES = 64 * 1024;

/** Reads a small JSON body: 415 when not JSON, 413 when too big, 400 with the parse error otherwise. */
export async function readJson(c: Context, { optional = false } = {}): Promise<unknown> {
  const type = c.req.header('content-type') ?? '';
  const length = Number(c.req.header('content-length') ?? 'NaN');
  if (optional && (length === 0 || (!type && !c.req.header('transfer-encoding')))) return {};
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new CairnError(
      'CAIRN_UNSUPPORTED_MEDIA_TYPE',
      'unsupported_media',
      'Send the body as JSON with Content-Type: application/json.',
    );
  }
  if (length > MAX_JSON_BYTES)
    throw tooLarge('CAIRN_BODY_TOO_LARGE', `JSON bodies are limited to ${MAX_JSON_BYTES} bytes.`);
  const text = await c.req.text();
  if (text.length > MAX_JSON_BYTES)
    throw tooLarge('CAIRN_BODY_TOO_LARGE', `JSON bodies are limited to ${MAX_JSON_BYTES} bytes.`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw invalid('CAIRN_INVALID_JSON', `The body is not valid JSON: ${(e as Error).message}`);
  }
}

export function pageQuery(c: Context) {
  const limit = c.req.query('limit');
  const cursor = c.req.query('cursor');
  if (limit !== undefined && !/^\d{1,4}$/.test(limit))
    throw invalid('CAIRN_INVALID_REQUEST', 'limit: must be a whole number');
  return { ...(cursor ? { cursor } : {}), ...(limit ? { limit: Number(limit) } : {}) };
}
