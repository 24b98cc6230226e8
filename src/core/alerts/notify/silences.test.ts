import { describe, expect, it } from 'vitest';
import { alertsSchema } from '../../../config/alerts.ts';
import { parseSchedule } from '../../backups/schedule/index.ts';
import { inRecurringWindow, Silences } from './silences.ts';

describe('recurring silence windows', () => {
  it('opens once on the autumn fall-back night, and lasts elapsed time', () => {
    const nightly = parseSchedule('cron(30 1 * * ? *)'); // 01:30 happens twice that night; EventBridge fires once
    const active = (iso: string) => inRecurringWindow(nightly, 3600, 'America/New_York', new Date(iso));
    expect(active('2026-11-01T05:29:00Z')).toBe(false); // 01:29 EDT
    expect(active('2026-11-01T05:30:00Z')).toBe(true); // 01:30 EDT: the first 01:30
    expect(active('2026-11-01T06:29:00Z')).toBe(true);
    expect(active('2026-11-01T06:30:00Z')).toBe(false); // the second 01:30 (EST) does not reopen it
    expect(active('2026-11-02T06:45:00Z')).toBe(true); // 01:45 EST the next day
  });

  it('refuses a rate() window and a bad time zone at start, not on the first event', () => {
    const parse = (schedule: object) =>
      alertsSchema.parse({ silences: [{ name: 's', match: {}, schedule: { duration: '1h', ...schedule } }] }).silences;
    expect(() => new Silences(parse({ expression: 'rate(1 day)' }))).toThrow(/use cron\(\.\.\.\) or at\(\.\.\.\)/);
    expect(() => new Silences(parse({ expression: 'cron(0 1 * * ? *)', timeZone: 'Mars/Olympus' }))).toThrow();
  });
});
