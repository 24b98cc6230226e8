import { describe, expect, it } from 'vitest';
import { NdjsonBatcher, countLines } from './ndjson.ts';

describe('NDJSON batches', () => {
  it('splits rows across pieces that cut lines anywhere, in batches of the asked size', () => {
    const text = [1, 2, 3, 4, 5].map((id) => JSON.stringify({ id, s: 'é\n' })).join('\n') + '\n';
    const b = new NdjsonBatcher(2);
    const batches = [...b.push(text.slice(0, 7)), ...b.push(text.slice(7, 30)), ...b.push(text.slice(30))];
    batches.push(b.end());
    expect(batches.map((x) => x.map((r) => r.id))).toEqual([[1, 2], [3, 4], [5]]);
    expect(b.rows).toBe(5);
    expect(countLines(Buffer.from(text))).toBe(5);
  });

  it('refuses a line that is not a JSON object', () => {
    expect(() => new NdjsonBatcher(10).push('[1]\n')).toThrow(/not a JSON object/);
  });
});
