/**
 * How a message body is stored in `queue_messages.body`. JSON, except for a plain object with a string
 * `rawBody` (the hub's IngestedEvent, which carries the webhook's body verbatim): that is stored as the
 * JSON of the object with `rawBody: 0`, a newline, then the raw body as it is. Escaping a 1 KiB body
 * into a JSON string cost more than anything else in building the row, and reading it back needs only
 * the short line parsed.
 *
 * JSON.stringify never writes a raw newline, so a body with one is always the split form, and rows
 * written before it existed (plain JSON) still decode. Putting `0` where `rawBody` was keeps the key
 * order of the object that was sent.
 */
export function encodeBody(body: unknown): string {
  if (splittable(body)) {
    return `${JSON.stringify({ ...body, rawBody: 0 })}\n${body.rawBody}`;
  }
  const json = JSON.stringify(body);
  if (json === undefined) throw new TypeError('a queue message body must be JSON-serialisable');
  return json;
}

export function decodeBody<T>(text: string): T {
  const newline = text.indexOf('\n');
  if (newline < 0) return JSON.parse(text) as T;
  const body = JSON.parse(text.slice(0, newline)) as { rawBody: unknown };
  body.rawBody = text.slice(newline + 1);
  return body as T;
}

function splittable(body: unknown): body is { rawBody: string } {
  if (typeof body !== 'object' || body === null || Object.getPrototypeOf(body) !== Object.prototype) return false;
  const raw = (body as { rawBody?: unknown }).rawBody;
  // A lone surrogate would not survive SQLite's UTF-8 (JSON escapes it), and toJSON would change the JSON.
  return typeof raw === 'string' && wellFormed(raw) && !('toJSON' in body);
}

/** String.prototype.isWellFormed (Node 20; TypeScript lists it from ES2024 on). */
const wellFormed = (s: string) => (s as string & { isWellFormed(): boolean }).isWellFormed();
