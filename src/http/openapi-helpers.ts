/**
 * Builders for the hand-written OpenAPI document: `op()` fills in the shared error responses so each
 * route states only what is its own; `params()` merges path, query and paging parameters.
 */
export type Schema = Record<string, unknown>;
type Parameter = { name: string; in: 'path' | 'query' | 'header'; required?: boolean; schema: Schema } & Schema;

export const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
export const json = (schema: Schema, description = 'OK') => ({
  description,
  content: { 'application/json': { schema } },
});

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input: the message says which field and how to fix it',
  401: 'Not signed in, or wrong credentials',
  403: 'Forbidden: bad or tampered signature, CSRF, password needed, or admin only',
  404: 'Unknown (or not yours)',
  405: 'Method not allowed (see the Allow header)',
  409: 'Conflict with the current state',
  410: 'Expired, revoked, or download limit reached',
  413: 'Too large',
  415: 'Body must be JSON',
  429: 'Too many attempts; see Retry-After',
  503: 'Unavailable for now: retry',
};

export const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      { description: ERROR_TEXT[c], content: { 'application/json': { schema: ref('Error') } } },
    ]),
  );

export function op(summary: string, responses: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { summary, ...extra, responses: { ...responses, ...errors(400, 401, 404, 429) } };
}

export const body = (schema: Schema, required = true) => ({
  requestBody: { required, content: { 'application/json': { schema } } },
});

const pathParam = (name: string, description?: string): Parameter => ({
  name,
  in: 'path',
  required: true,
  schema: { type: 'string' },
  ...(description ? { description } : {}),
});

export const queryParam = (name: string, schema: Schema, description?: string, required = false): Parameter => ({
  name,
  in: 'query',
  ...(required ? { required: true } : {}),
  schema,
  ...(description ? { description } : {}),
});

export const PAGE_PARAMS: Parameter[] = [
  queryParam('cursor', { type: 'string' }, 'Opaque cursor from the previous page'),
  queryParam('limit', { type: 'integer', minimum: 1, maximum: 200 }),
];

/** `{ parameters }` from path parameter names, and parameter objects or lists of them. */
export function params(...items: (string | Parameter | Parameter[])[]) {
  return {
    parameters: items.flatMap((i) => (typeof i === 'string' ? [pathParam(i)] : Array.isArray(i) ? i : [i])),
  };
}

export const path = (...names: string[]) => params(...names);
export const pageParams = params(PAGE_PARAMS);

export const paged = (item: Schema) => ({
  type: 'object',
  required: ['items'],
  properties: {
    items: { type: 'array', items: item },
    cursor: { type: 'string', description: 'Present when there is a next page' },
  },
});

/** An unpaged list: `{ items: [...] }`. */
export const itemsOf = (item: Schema) => ({ type: 'object', properties: { items: { type: 'array', items: item } } });
export const isoTime = { type: 'string', format: 'date-time' } as const;
export const isoTimeOrNull = { type: ['string', 'null'], format: 'date-time' } as const;
export const stringOrNull = { type: ['string', 'null'] } as const;
export const noContent = (description: string) => ({ 204: { description } });
