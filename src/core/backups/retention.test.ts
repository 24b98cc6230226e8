import { describe, expect, it } from 'vitest';
import { applyRetention, isoWeek, type RetentionCandidate } from './retention.ts';

const DAY = 86_400_000;
const NOW = new Date('2026-06-30T23:00:00Z');

/** Four runs a day (00:00, 06:00, 12:00, 18:00 UTC) for `days` days up to NOW, all full. */
function daily(days: number, perDay = 4): RetentionCandidate[] {
  const runs: RetentionCandidate[] = [];
  for (let d = days - 1; d >= 0; d--) {
    for (let h = 0; h < perDay; h++) {
      const at = new Date(Date.UTC(2026, 5, 30) - d * DAY + h * 6 * 3600_000);
      runs.push({ id: `r_${at.toISOString()}`, mode: 'full', finishedAt: at, verifiedOk: null, basedOn: null });
    }
  }
  return runs;
}

const kept = (runs: RetentionCandidate[], rules: Parameters<typeof applyRetention>[1], tz = 'UTC') =>
  applyRetention(runs, rules, NOW, tz)
    .keep.map((k) => k.id)
    .sort();

describe('restic-style retention', () => {
  it('keeps everything when no rule is set', () => {
    const runs = daily(10);
    expect(applyRetention(runs, {}, NOW).remove).toEqual([]);
  });

  it('keepLast keeps the newest N runs', () => {
    const runs = daily(5);
    expect(kept(runs, { keepLast: 3 })).toEqual(
      runs
        .slice(-3)
        .map((r) => r.id)
        .sort(),
    );
  });

  it('keepDaily keeps the newest run of each of the last N days that have runs', () => {
    const runs = daily(30);
    const ids = kept(runs, { keepDaily: 7 });
    expect(ids).toHaveLength(7);
    for (let d = 0; d < 7; d++) expect(ids).toContain(`r_${new Date(Date.UTC(2026, 5, 30 - d, 18)).toISOString()}`);
  });

  it('counts only days that have runs (a gap does not use up the quota)', () => {
    const runs = daily(30).filter((r) => r.finishedAt.getUTCDate() % 2 === 0); // every other day
    const ids = kept(runs, { keepDaily: 5 });
    expect(ids).toHaveLength(5);
    expect(ids.map((id) => id.slice(2, 12))).toEqual([
      '2026-06-22',
      '2026-06-24',
      '2026-06-26',
      '2026-06-28',
      '2026-06-30',
    ]);
  });

  it('keepWeekly, keepMonthly and keepYearly keep the newest run of each ISO week, month and year', () => {
    const runs = daily(400, 1);
    const weekly = applyRetention(runs, { keepWeekly: 4 }, NOW).keep;
    expect(weekly.map((k) => k.reasons[0])).toEqual([
      'weekly 2026-W27',
      'weekly 2026-W26',
      'weekly 2026-W25',
      'weekly 2026-W24',
    ]);
    expect(weekly.map((k) => k.id.slice(2, 12))).toEqual(['2026-06-30', '2026-06-28', '2026-06-21', '2026-06-14']);
    const monthly = applyRetention(runs, { keepMonthly: 3 }, NOW).keep.map((k) => k.id.slice(2, 12));
    expect(monthly).toEqual(['2026-06-30', '2026-05-31', '2026-04-30']);
    const yearly = applyRetention(runs, { keepYearly: 5 }, NOW).keep.map((k) => k.id.slice(2, 12));
    expect(yearly).toEqual(['2026-06-30', '2025-12-31']);
  });

  it('unions the rules, as restic does', () => {
    const runs = daily(400, 1);
    const ids = kept(runs, { keepDaily: 7, keepWeekly: 4, keepMonthly: 12 });
    // 7 days + weeks beyond them (06-21, 06-14) + months beyond those (May 2026 … Jul 2025)
    expect(ids).toHaveLength(7 + 2 + 11);
  });

  it('treats cold as keep-within: runs younger than the age stay, older ones go unless a rule keeps them', () => {
    const runs = daily(60, 1);
    const d = applyRetention(runs, { cold: 30 * 86400, keepMonthly: 2 }, NOW);
    expect(d.keep).toHaveLength(30 + 1); // 30 days within, plus May's last run
    expect(d.remove).toHaveLength(29);
    expect(d.remove.every((r) => NOW.getTime() - r.finishedAt.getTime() > 30 * DAY)).toBe(true);
  });

  it('reads days in the job’s time zone', () => {
    // 23:30 UTC on June 29 is June 30 in Tokyo: with keepDaily 1, only the later run is that day's newest.
    const runs: RetentionCandidate[] = [
      { id: 'a', mode: 'full', finishedAt: new Date('2026-06-29T16:00:00Z'), verifiedOk: null, basedOn: null },
      { id: 'b', mode: 'full', finishedAt: new Date('2026-06-29T14:00:00Z'), verifiedOk: null, basedOn: null },
    ];
    expect(kept(runs, { keepDaily: 2 }, 'UTC')).toEqual(['a']);
    expect(kept(runs, { keepDaily: 2 }, 'Asia/Tokyo')).toEqual(['a', 'b']);
  });

  it('never removes the newest verified run, nor the newest run', () => {
    const runs = daily(10, 1);
    runs[2]!.verifiedOk = true;
    runs[8]!.verifiedOk = false;
    const d = applyRetention(runs, { keepLast: 1, cold: 0 }, NOW);
    expect(d.keep.map((k) => [k.id, k.reasons])).toEqual([
      [runs[9]!.id, ['last 1', 'newest']],
      [runs[2]!.id, ['newest verified']],
    ]);
  });

  it('keeps every run a kept incremental builds on, back to its full run', () => {
    const at = (d: number) => new Date(NOW.getTime() - d * DAY);
    const runs: RetentionCandidate[] = [
      { id: 'f1', mode: 'full', finishedAt: at(9), verifiedOk: null, basedOn: null },
      { id: 'i1', mode: 'incremental', finishedAt: at(8), verifiedOk: null, basedOn: 'f1' },
      { id: 'f2', mode: 'full', finishedAt: at(7), verifiedOk: null, basedOn: null },
      { id: 'i2', mode: 'incremental', finishedAt: at(6), verifiedOk: null, basedOn: 'f2' },
      { id: 'i3', mode: 'incremental', finishedAt: at(5), verifiedOk: null, basedOn: 'i2' },
    ];
    const d = applyRetention(runs, { keepLast: 1 }, NOW);
    expect(d.keep.map((k) => k.id)).toEqual(['i3', 'i2', 'f2']);
    expect(d.keep[1]!.reasons).toEqual(['needed by i3']);
    expect(d.remove.map((r) => r.id)).toEqual(['i1', 'f1']);
  });

  it('numbers ISO weeks as ISO 8601 does around the new year', () => {
    expect(isoWeek(2026, 1, 1)).toBe('2026-W01');
    expect(isoWeek(2027, 1, 1)).toBe('2026-W53');
    expect(isoWeek(2024, 12, 30)).toBe('2025-W01');
  });
});
