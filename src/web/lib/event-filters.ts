import { SEVERITIES, type EventStatus, type Severity } from './alerts-types.ts';

/** The feed's filters, as the URL's query string holds them so a filtered view can be shared. */
export type TimeRange = 'all' | '1h' | '24h' | '7d' | '30d' | 'custom';
export type ChartBucket = 'auto' | 'hour' | 'day';

export interface EventFilters {
  source: string;
  severity: Severity | '';
  service: string;
  status: EventStatus | '';
  text: string;
  range: TimeRange;
  /** UTC ISO 8601, with range 'custom'. */
  from: string;
  to: string;
  bucket: ChartBucket;
}

export const RANGES: { value: TimeRange; label: string; seconds?: number }[] = [
  { value: 'all', label: 'All time' },
  { value: '1h', label: 'Last hour', seconds: 3600 },
  { value: '24h', label: 'Last 24 hours', seconds: 86400 },
  { value: '7d', label: 'Last 7 days', seconds: 7 * 86400 },
  { value: '30d', label: 'Last 30 days', seconds: 30 * 86400 },
  { value: 'custom', label: 'Custom…' },
];

export const EMPTY_FILTERS: EventFilters = {
  source: '',
  severity: '',
  service: '',
  status: '',
  text: '',
  range: 'all',
  from: '',
  to: '',
  bucket: 'auto',
};

function isoOrEmpty(value: string | null): string {
  if (!value) return '';
  const t = Date.parse(value);
  return Number.isNaN(t) ? '' : new Date(t).toISOString();
}

export function parseFilters(search: string): EventFilters {
  const p = new URLSearchParams(search);
  const severity = p.get('severity') ?? '';
  const status = p.get('status') ?? '';
  const from = isoOrEmpty(p.get('from'));
  const to = isoOrEmpty(p.get('to'));
  const rawRange = p.get('range') ?? '';
  const range: TimeRange =
    from || to ? 'custom' : (RANGES.find((r) => r.value === rawRange && r.value !== 'custom')?.value ?? 'all');
  const bucket = p.get('bucket');
  return {
    source: (p.get('source') ?? '').slice(0, 64),
    severity: (SEVERITIES as readonly string[]).includes(severity) ? (severity as Severity) : '',
    service: (p.get('service') ?? '').slice(0, 256),
    status: status === 'firing' || status === 'resolved' ? status : '',
    text: (p.get('text') ?? '').slice(0, 256),
    range,
    from: range === 'custom' ? from : '',
    to: range === 'custom' ? to : '',
    bucket: bucket === 'hour' || bucket === 'day' ? bucket : 'auto',
  };
}

/** The query string for the page's URL: only what differs from the defaults. */
export function filtersToSearch(f: EventFilters): string {
  const p = new URLSearchParams();
  if (f.source) p.set('source', f.source);
  if (f.severity) p.set('severity', f.severity);
  if (f.service) p.set('service', f.service);
  if (f.status) p.set('status', f.status);
  if (f.text) p.set('text', f.text);
  if (f.range === 'custom') {
    if (f.from) p.set('from', f.from);
    if (f.to) p.set('to', f.to);
  } else if (f.range !== 'all') p.set('range', f.range);
  if (f.bucket !== 'auto') p.set('bucket', f.bucket);
  const s = p.toString();
  return s ? `?${s}` : '';
}

/** The time window the filters mean at `now` (ms); open ends are null. */
export function timeWindow(f: EventFilters, now: number): { from: number | null; to: number | null } {
  if (f.range === 'custom') {
    return { from: f.from ? Date.parse(f.from) : null, to: f.to ? Date.parse(f.to) : null };
  }
  const seconds = RANGES.find((r) => r.value === f.range)?.seconds;
  return { from: seconds ? now - seconds * 1000 : null, to: null };
}

/** The API's query parameters (GET /api/events and the histogram) for these filters at `now`. */
export function filterQuery(f: EventFilters, now: number): URLSearchParams {
  const p = new URLSearchParams();
  if (f.source) p.set('source', f.source);
  if (f.severity) p.set('severity', f.severity);
  if (f.service) p.set('service', f.service);
  if (f.status) p.set('status', f.status);
  if (f.text) p.set('text', f.text);
  const { from, to } = timeWindow(f, now);
  if (from !== null) p.set('from', new Date(from).toISOString());
  if (to !== null) p.set('to', new Date(to).toISOString());
  return p;
}

/** A stable key for "the same filters" (the time range as chosen, not as resolved). */
export const filtersKey = (f: EventFilters) =>
  [f.source, f.severity, f.service, f.status, f.text, f.range, f.from, f.to].join('\u0000');

export const hasFilters = (f: EventFilters) => filtersKey(f) !== filtersKey(EMPTY_FILTERS);

/** `2026-11-26T10:30` in the browser's time zone, for <input type="datetime-local">. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** The value of a datetime-local input (local time) as UTC ISO 8601, or '' when empty or invalid. */
export function fromLocalInput(value: string): string {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString();
}
