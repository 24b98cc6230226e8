import { describe, expect, it } from 'vitest';
import { PositionTracker, comparePositions, compareValues, maxPosition } from './cursor.ts';

describe('cursor positions', () => {
  it('orders values as the sources do: null first, numbers, then text; big integers as text by value', () => {
    expect(compareValues(null, 0)).toBe(-1);
    expect(compareValues(2, 10)).toBe(-1);
    expect(compareValues('2', '10')).toBe(-1);
    expect(compareValues('9007199254740993', '9007199254740992')).toBe(1);
    expect(compareValues('-5', '-12')).toBe(1);
    expect(compareValues(5, 'a')).toBe(-1);
    expect(compareValues('2026-01-01T00:00:01.000Z', '2026-01-01T00:00:00.000Z')).toBe(1);
  });

  it('breaks ties on the cursor value with the primary key', () => {
    const a = { value: '2026-01-01', key: [5] };
    const b = { value: '2026-01-01', key: [7] };
    expect(comparePositions(a, b)).toBe(-1);
    expect(maxPosition(a, b)).toBe(b);
    expect(maxPosition(null, a)).toBe(a);
  });

  it('tracks the greatest position among streamed rows, ignoring rows whose cursor is null', () => {
    const t = new PositionTracker('updated_at', ['id']);
    t.add([
      { id: 3, updated_at: 'b' },
      { id: 9, updated_at: null },
    ]);
    t.add([
      { id: 1, updated_at: 'b' },
      { id: 4, updated_at: 'b' },
      { id: 2, updated_at: 'a' },
    ]);
    expect(t.max).toEqual({ value: 'b', key: [4] });
  });
});
