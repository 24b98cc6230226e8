/**
 * Which runs' cold objects to keep, with restic's rules (`restic forget`): a run is kept when any rule
 * keeps it. `cold` is restic's --keep-within; keepDaily/Weekly/Monthly/Yearly keep the newest run of
 * each of the last N days/weeks/months/years that have runs, read in the job's time zone. On top of
 * restic: the newest verified run and the newest run are never removed, and every run a kept
 * incremental builds on (back to its full) is kept too, so whatever is kept can still be restored.
 * With no rule at all, everything is kept.
 */
import { wallClock } from './schedule/index.ts';
import type { RetentionRules } from './model.ts';

export interface RetentionCandidate {
  id: string;
  mode: 'full' | 'incremental';
  finishedAt: Date;
  verifiedOk: boolean | null;
  /** The run an incremental continues. */
  basedOn: string | null;
}

export interface RetentionDecision {
  keep: { id: string; reasons: string[] }[];
  remove: { id: string; finishedAt: Date; reason: string }[];
}

type Bucket = { rule: keyof RetentionRules; count: number; last: string | null; of: (d: Date) => string };

const pad = (n: number) => String(n).padStart(2, '0');
const age = (s: number) =>
  s % 86400 === 0 ? `${s / 86400}d` : s % 3600 === 0 ? `${s / 3600}h` : s % 60 === 0 ? `${s / 60}m` : `${s}s`;

/** ISO 8601 week of a calendar date: `2026-W01`. */
export function isoWeek(year: number, month: number, day: number): string {
  const date = new Date(Date.UTC(year, month - 1, day));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday); // the Thursday of this week decides its year
  const y = date.getUTCFullYear();
  const week = Math.ceil(((date.getTime() - Date.UTC(y, 0, 1)) / 86_400_000 + 1) / 7);
  return `${y}-W${pad(week)}`;
}

export function applyRetention(
  candidates: readonly RetentionCandidate[],
  rules: RetentionRules,
  now: Date,
  timeZone = 'UTC',
): RetentionDecision {
  const runs = [...candidates].sort(
    (a, b) => b.finishedAt.getTime() - a.finishedAt.getTime() || (a.id < b.id ? 1 : -1),
  );
  const reasons = new Map<string, string[]>(runs.map((r) => [r.id, []]));
  const keep = (id: string, why: string) => reasons.get(id)?.push(why);
  const anyRule = [
    rules.cold,
    rules.keepLast,
    rules.keepDaily,
    rules.keepWeekly,
    rules.keepMonthly,
    rules.keepYearly,
  ].some((v) => v !== undefined);
  if (!anyRule) for (const r of runs) keep(r.id, 'no retention rule');

  const wall = (d: Date) => wallClock(d.getTime(), timeZone);
  const day = (d: Date) => {
    const w = wall(d);
    return { y: w.year, m: w.month, d: w.day };
  };
  const bucket = (rule: keyof RetentionRules, of: (d: Date) => string): Bucket => ({
    rule,
    of,
    count: rules[rule] ?? 0,
    last: null,
  });
  const buckets: Bucket[] = [
    bucket('keepDaily', (t) => ((x) => `${x.y}-${pad(x.m)}-${pad(x.d)}`)(day(t))),
    bucket('keepWeekly', (t) => ((x) => isoWeek(x.y, x.m, x.d))(day(t))),
    bucket('keepMonthly', (t) => ((x) => `${x.y}-${pad(x.m)}`)(day(t))),
    bucket('keepYearly', (t) => String(day(t).y)),
  ];

  runs.forEach((run, i) => {
    if (rules.keepLast !== undefined && i < rules.keepLast) keep(run.id, `last ${rules.keepLast}`);
    if (rules.cold !== undefined && now.getTime() - run.finishedAt.getTime() <= rules.cold * 1000)
      keep(run.id, `within ${age(rules.cold)}`);
    for (const b of buckets) {
      if (b.count <= 0) continue;
      const value = b.of(run.finishedAt);
      if (value !== b.last) {
        b.last = value;
        b.count -= 1;
        keep(run.id, `${b.rule.replace('keep', '').toLowerCase()} ${value}`);
      }
    }
  });

  const newestVerified = runs.find((r) => r.verifiedOk === true);
  if (newestVerified) keep(newestVerified.id, 'newest verified');
  if (runs[0]) keep(runs[0].id, 'newest');

  // A kept incremental needs every run back to its full.
  const byId = new Map(runs.map((r) => [r.id, r]));
  for (const run of runs) {
    if (reasons.get(run.id)!.length === 0 || run.mode === 'full') continue;
    let base = run.basedOn ? byId.get(run.basedOn) : undefined;
    while (base) {
      const list = reasons.get(base.id)!;
      if (list.some((w) => w.startsWith('needed by'))) break;
      list.push(`needed by ${run.id}`);
      if (base.mode === 'full') break;
      base = base.basedOn ? byId.get(base.basedOn) : undefined;
    }
  }

  const decision: RetentionDecision = { keep: [], remove: [] };
  for (const run of runs) {
    const why = reasons.get(run.id)!;
    if (why.length > 0) decision.keep.push({ id: run.id, reasons: why });
    else decision.remove.push({ id: run.id, finishedAt: run.finishedAt, reason: 'no keep rule applies' });
  }
  return decision;
}
