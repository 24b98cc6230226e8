import { assertTimeZone } from '../../backups/schedule/index.ts';
import { invalid } from '../../errors.ts';
import type { EventQuery, ReportDimension, ReportRow } from '../../../ports/alerts.ts';
import { SEVERITIES, type Severity } from '../model.ts';

export const DIMENSIONS: readonly ReportDimension[] = [
  'month',
  'day',
  'hour',
  'source',
  'severity',
  'service',
  'status',
];

function isoTime(value: string | undefined, name: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const t = Date.parse(value);
  if (Number.isNaN(t) || !/^\d{4}-\d{2}-\d{2}/.test(value)) {
    throw invalid('CAIRN_INVALID_QUERY', `${name}: "${value}" is not an ISO 8601 time such as 2026-11-26T10:00:00Z`);
  }
  return new Date(t).toISOString();
}

/** Validates the filters of GET /api/events (and reports) from query parameters. */
export function parseEventQuery(q: Record<string, string | undefined>): EventQuery {
  const out: EventQuery = {};
  if (q.source) out.source = q.source.slice(0, 64);
  if (q.service) out.service = q.service.slice(0, 256);
  if (q.text) out.text = q.text.slice(0, 256);
  if (q.severity) {
    if (!(SEVERITIES as readonly string[]).includes(q.severity)) {
      throw invalid('CAIRN_INVALID_QUERY', `severity: must be one of ${SEVERITIES.join(', ')}`);
    }
    out.severity = q.severity as Severity;
  }
  if (q.status) {
    if (q.status !== 'firing' && q.status !== 'resolved')
      throw invalid('CAIRN_INVALID_QUERY', 'status: must be firing or resolved');
    out.status = q.status;
  }
  const from = isoTime(q.from, 'from');
  const to = isoTime(q.to, 'to');
  if (from) out.from = from;
  if (to) out.to = to;
  if (from && to && from >= to) throw invalid('CAIRN_INVALID_QUERY', 'from: must be before to');
  return out;
}

/** GET /api/events/histogram: the event filters, `bucket` (hour or day) and `tz` (an IANA zone, default UTC). */
export function parseHistogramQuery(q: Record<string, string | undefined>): {
  filter: EventQuery;
  bucket: 'hour' | 'day';
  timeZone: string;
} {
  const filter = parseEventQuery(q);
  const bucket = q.bucket ?? 'hour';
  if (bucket !== 'hour' && bucket !== 'day') throw invalid('CAIRN_INVALID_QUERY', 'bucket: must be hour or day');
  const timeZone = q.tz || 'UTC';
  try {
    assertTimeZone(timeZone);
  } catch {
    throw invalid(
      'CAIRN_INVALID_QUERY',
      `tz: "${timeZone.slice(0, 64)}" is not an IANA time zone; use a name such as Europe/Paris or UTC`,
    );
  }
  return { filter, bucket, timeZone };
}

/** The most values GET /api/events/facets returns per dimension (the busiest first). */
export const MAX_FACET_VALUES = 50;

/** GET /api/events/facets: the event filters and `limit` (1–50 values per dimension, default 50). */
export function parseFacetsQuery(q: Record<string, string | undefined>): { filter: EventQuery; limit: number } {
  const filter = parseEventQuery(q);
  if (q.limit === undefined || q.limit === '') return { filter, limit: MAX_FACET_VALUES };
  const limit = Number(q.limit);
  if (!/^\d+$/.test(q.limit) || limit < 1 || limit > MAX_FACET_VALUES)
    throw invalid('CAIRN_INVALID_QUERY', `limit: a whole number from 1 to ${MAX_FACET_VALUES}`);
  return { filter, limit };
}

/** GET /api/reports/events?year=2026&groupBy=month,source,severity (plus the event filters). */
export function parseReportQuery(q: Record<string, string | undefined>): {
  filter: EventQuery;
  groupBy: ReportDimension[];
} {
  const filter = parseEventQuery(q);
  if (q.year !== undefined) {
    if (!/^\d{4}$/.test(q.year)) throw invalid('CAIRN_INVALID_QUERY', 'year: must be a four-digit year such as 2026');
    filter.from = `${q.year}-01-01T00:00:00.000Z`;
    filter.to = `${Number(q.year) + 1}-01-01T00:00:00.000Z`;
  }
  const groupBy = (q.groupBy ?? 'month')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const d of groupBy) {
    if (!(DIMENSIONS as readonly string[]).includes(d))
      throw invalid('CAIRN_INVALID_QUERY', `groupBy: "${d}" is not one of ${DIMENSIONS.join(', ')}`);
  }
  if (new Set(groupBy).size !== groupBy.length)
    throw invalid('CAIRN_INVALID_QUERY', 'groupBy: a dimension appears twice');
  return { filter, groupBy: groupBy as ReportDimension[] };
}

/** RFC 4180 CSV; cells that a spreadsheet would run as a formula are prefixed with a quote. */
export function reportToCsv(groupBy: ReportDimension[], rows: ReportRow[]): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = [[...groupBy, 'count'].join(',')];
  for (const r of rows) lines.push([...groupBy.map((d) => cell(r.group[d] ?? '')), cell(r.count)].join(','));
  return lines.join('\r\n') + '\r\n';
}
