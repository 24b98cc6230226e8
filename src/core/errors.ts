/**
 * The project's own errors. Every error a user can cause is a CairnError with a stable, searchable
 * `code` (documented in docs/errors.md) and a `kind` that the HTTP layer maps to a status code in
 * exactly one place (src/http/error-mapper.ts). Adapters translate SDK/driver errors into these.
 */
export type ErrorKind =
  | 'invalid' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'not_found' // 404
  | 'conflict' // 409
  | 'gone' // 410
  | 'too_large' // 413
  | 'unsupported_media' // 415
  | 'rate_limited' // 429
  | 'unavailable' // 503
  | 'internal'; // 500

export class CairnError extends Error {
  override readonly name: string = 'CairnError';
  constructor(
    readonly code: string,
    readonly kind: ErrorKind,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  readonly details: Record<string, unknown> | undefined;
}

export const invalid = (code: string, message: string, details?: Record<string, unknown>) =>
  new CairnError(code, 'invalid', message, { details });
export const notFound = (code: string, message: string) => new CairnError(code, 'not_found', message);
export const forbidden = (code: string, message: string) => new CairnError(code, 'forbidden', message);
export const unauthorized = (code: string, message: string) => new CairnError(code, 'unauthorized', message);
export const gone = (code: string, message: string) => new CairnError(code, 'gone', message);
export const conflict = (code: string, message: string) => new CairnError(code, 'conflict', message);
export const tooLarge = (code: string, message: string) => new CairnError(code, 'too_large', message);
export const rateLimited = (code: string, message: string, retryAfterSeconds: number) =>
  new CairnError(code, 'rate_limited', message, { details: { retryAfterSeconds } });

export const isCairnError = (e: unknown): e is CairnError => e instanceof CairnError;
