import { describe, expect, it } from 'vitest';
import { decodeBody, encodeBody } from './queue-body.ts';

const event = {
  eventId: 'evt_abc',
  source: 'grafana',
  receivedAt: '2026-01-01T00:00:00.000Z',
  deliveryId: 'msg_1',
  rawBody: '{"title":"CPU \\"high\\"",\n"x":"\u2028é🔥"}\n\n',
  headers: { 'content-type': 'application/json' },
};

describe('queue message bodies', () => {
  it('stores a raw body after a JSON line, unescaped, and gives back an equal object with the same key order', () => {
    const text = encodeBody(event);
    expect(text.startsWith(`${JSON.stringify({ ...event, rawBody: 0 })}\n`)).toBe(true);
    expect(text.endsWith(event.rawBody)).toBe(true);
    const back = decodeBody<typeof event>(text);
    expect(back).toEqual(event);
    expect(JSON.stringify(back)).toBe(JSON.stringify(event));
  });

  it('still reads bodies stored as plain JSON, as every row written before the split form was', () => {
    expect(decodeBody(JSON.stringify(event))).toEqual(event);
    expect(decodeBody('{"n":1}')).toEqual({ n: 1 });
    expect(decodeBody('[1,"a\\nb"]')).toEqual([1, 'a\nb']);
  });

  it('keeps plain JSON for anything else, which never holds a raw newline', () => {
    const others: unknown[] = [
      { n: 1, text: 'a\nb' },
      [{ rawBody: 'x' }],
      'text',
      { rawBody: 42 },
      { rawBody: 'lone \ud800 surrogate' },
      { rawBody: 'x', toJSON: () => ({ replaced: true }) },
      Object.assign(Object.create({ inherited: 1 }) as object, { rawBody: 'x' }),
    ];
    for (const body of others) {
      const text = encodeBody(body);
      expect(text).toBe(JSON.stringify(body));
      expect(text).not.toContain('\n');
      expect(decodeBody(text)).toEqual(JSON.parse(text));
    }
  });

  it('refuses a body JSON cannot hold', () => {
    expect(() => encodeBody(undefined)).toThrow(TypeError);
    expect(() => encodeBody({ rawBody: 'x', n: 10n })).toThrow(TypeError);
  });
});
