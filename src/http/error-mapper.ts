import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorKind, isCairnError } from '../core/errors.ts';
import type { Logger } from '../ports/logger.ts';

/** The one place where errors become HTTP statuses. Body: `{ "error": { "code", "message" } }`. */
export const STATUS_BY_KIND: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_media: 415,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export function errorBody(code: string, message: string, details?: Record<string, unknown>) {
  return { error: { code, message, ...(details ? { details } : {}) } };
}

export function mapError(err: unknown, c: Context, logger: Logger): Response {
  if (isCairnError(err)) {
    const status = STATUS_BY_KIND[err.kind];
    const retry = err.details?.retryAfterSeconds;
    if (typeof retry === 'number') c.header('Retry-After', String(retry));
    if (status >= 500) logger.error({ code: err.code, err: err.message }, 'request failed');
    return c.json(errorBody(err.code, err.message, err.details), status);
  }
  if (err instanceof HTTPException) {
    const res = err.getResponse();
    const code = res.status === 413 ? 'CAIRN_BODY_TOO_LARGE' : 'CAIRN_HTTP_' + res.status;
    return c.json(errorBody(code, err.message || res.statusText), res.status as ContentfulStatusCode);
  }
  logger.error(
    { err: err instanceof Error ? (err.stack ?? err.message) : String(err), path: c.req.path },
    'unhandled error',
  );
  return c.json(errorBody('CAIRN_INTERNAL', 'Something went wrong on our side; it has been logged.'), 500);
}
