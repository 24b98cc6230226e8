/**
 * The events histogram in a time zone: day buckets start at local midnight and hour buckets at the
 * local hour, DST included (a spring-forward day lasts 23 hours, a fall-back day 25). Adapters count
 * events per fixed UTC slot; this file turns those slots into wall-clock buckets. Every UTC offset in
 * use today is a multiple of 15 minutes, so a 15-minute slot never straddles a local hour.
 */
import type { EventQuery } from '../../../ports/alerts.ts';
import { offsetMs, resolveLocal, wallClock } from '../../backups/schedule/zone.ts';
import type { Severity } from '../model.ts';

export interface SlotCount {
  /** Start of the UTC slot, epoch ms. */
  slot: number;
  severity: Severity;
  count: number;
}

export interface FacetValue {
  value: string;
  count: number;
}

export interface EventFacets {
  sources: FacetValue[];
  severities: FacetValue[];
  services: FacetValue[];
}

/**
 * EventHistory methods beyond the port in ports/alerts.ts, implemented by both adapters (SQLite and
 * DynamoDB) for the histogram in a time zone and the Alerts page's filter values.
 */
export interface EventHistoryCounts {
  /** Events per `slotMs`-long UTC slot and severity. */
  slotCounts(filter: EventQuery, slotMs: number): Promise<SlotCount[]>;
  /**
   * The `limit` commonest values of source, severity and service, most events first (ties by value);
   * events without a service are not counted under services.
   */
  facets(filter: EventQuery, limit: number): Promise<EventFacets>;
}

export interface HistogramBucket {
  /** `2026-03-29` (day) or `2026-03-29T03:00+02:00` (hour, with the offset: a fall-back hour happens twice). */
  bucket: string;
  /** When the bucket begins, UTC ISO 8601. */
  start: string;
  severity: Severity;
  count: number;
}

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
const SAMPLE_STEP_MS = 7 * 86_400_000;
const MAX_SAMPLES = 2000;

/**
 * One hour when every offset the zone uses over [from, to) is whole hours, else 15 minutes. Offsets are
 * sampled weekly: DST periods last months, so a sample lands in each.
 */
export function slotSizeFor(timeZone: string, fromMs: number, toMs: number): number {
  const step = Math.max(SAMPLE_STEP_MS, (toMs - fromMs) / MAX_SAMPLES);
  for (let t = fromMs; t < toMs + step; t += step) {
    if (offsetMs(Math.min(t, toMs), timeZone) % HOUR_MS !== 0) return QUARTER_MS;
  }
  return HOUR_MS;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function formatOffset(ms: number): string {
  const minutes = Math.round(Math.abs(ms) / 60_000);
  return `${ms < 0 ? '-' : '+'}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

/** The bucket holding the instant `ms` in the zone: its name and start. */
function zonedBucketOf(ms: number, bucket: 'hour' | 'day', timeZone: string): { name: string; start: number } {
  const w = wallClock(ms, timeZone);
  const date = `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
  if (bucket === 'day') {
    // A zone may skip midnight (DST at 00:00): the day then starts at the first instant it has.
    return { name: date, start: resolveLocal({ ...w, hour: 0, minute: 0, second: 0 }, timeZone) };
  }
  const offset = offsetMs(ms, timeZone);
  const start = Math.floor((ms + offset) / HOUR_MS) * HOUR_MS - offset;
  return { name: `${date}T${pad(w.hour)}:00${formatOffset(offset)}`, start };
}

/** Sums slot counts into the zone's hour or day buckets, oldest first (then by severity). */
export function zonedHistogram(slots: SlotCount[], bucket: 'hour' | 'day', timeZone: string): HistogramBucket[] {
  const names = new Map<number, { name: string; start: number }>();
  const sums = new Map<string, { name: string; start: number; severity: Severity; count: number }>();
  for (const s of slots) {
    let b = names.get(s.slot);
    if (!b) names.set(s.slot, (b = zonedBucketOf(s.slot, bucket, timeZone)));
    const key = `${b.name}\u0000${s.severity}`;
    const sum = sums.get(key) ?? { ...b, severity: s.severity, count: 0 };
    sum.count += s.count;
    sums.set(key, sum);
  }
  return [...sums.values()]
    .sort((a, b) => a.start - b.start || (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0))
    .map((s) => ({ bucket: s.name, start: new Date(s.start).toISOString(), severity: s.severity, count: s.count }));
}

/** The start of a UTC bucket the adapters name `2026-11-26T10:00Z` (hour) or `2026-11-26` (day). */
export function utcBucketStart(name: string): string {
  return new Date(Date.parse(name.length === 10 ? `${name}T00:00:00Z` : name)).toISOString();
}
