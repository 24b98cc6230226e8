import { describe, expect, it } from 'vitest';
import { IsoTimeCache } from '../../src/core/alerts/ingest/iso-time.ts';

describe('IsoTimeCache', () => {
  it('writes what toISOString writes, for times within one second and across seconds', () => {
    const iso = new IsoTimeCache();
    const start = Date.UTC(2026, 0, 31, 23, 59, 58, 990);
    for (let ms = start; ms < start + 2100; ms += 7) {
      const d = new Date(ms);
      expect(iso.format(d)).toBe(d.toISOString());
    }
  });

  it('writes what toISOString writes for times out of order, before 1970 and past the year 9999', () => {
    const iso = new IsoTimeCache();
    const times = [0, 1, 999, 1000, -1, -999, -1001, Date.UTC(1969, 11, 31, 23, 59, 59, 5), 253402300799999];
    times.push(253402300800000, 253402300800001, Date.UTC(-1, 0, 1), 1767225600123, 1767225600005, 1767225600123);
    for (let i = 0; i < 200; i++) times.push(Math.floor(Math.random() * 4e12) - 1e12);
    for (const ms of times) expect(iso.format(new Date(ms)), String(ms)).toBe(new Date(ms).toISOString());
  });

  it('throws for an invalid date, as toISOString does', () => {
    expect(() => new IsoTimeCache().format(new Date(NaN))).toThrow(RangeError);
  });
});
