/** The shapes the Alerts page reads from the notification hub's API (times are UTC ISO 8601 strings). */
export type Severity = 'critical' | 'error' | 'warning' | 'info';
export const SEVERITIES: readonly Severity[] = ['critical', 'error', 'warning', 'info'];

export type EventStatus = 'firing' | 'resolved';

/** An event as GET /api/events lists it (no raw body or payload). */
export interface HubEvent {
  eventId: string;
  source: string;
  receivedAt: string;
  enrichedAt: string;
  title: string;
  summary: string;
  severity: Severity;
  status: EventStatus;
  service: string | null;
  fingerprint: string;
  labels: Record<string, string>;
  enrichment: Record<string, unknown>;
  expiresAt?: string;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'dead';

export interface Delivery {
  id: string;
  eventId: string;
  /** `channel:<name>` or `subscription:<name>`. */
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError: string | null;
  lastAttemptAt: string | null;
  deliveredAt: string | null;
}

/** GET /api/events/{id}: everything, with the raw body and the deliveries. */
export interface HubEventDetail extends HubEvent {
  rawBody: string;
  payload: unknown;
  deliveries: Delivery[];
}

export interface HistogramItem {
  /** `2026-11-26T10:00Z` (hour) or `2026-11-26` (day), UTC (other zones: see the API's `tz`). */
  bucket: string;
  /** When the bucket begins, UTC ISO 8601. */
  start?: string;
  severity: Severity;
  count: number;
}

export interface Histogram {
  bucket: 'hour' | 'day';
  items: HistogramItem[];
}

export interface QueueInfo {
  name: string;
  visible: number;
  inFlight: number;
  delayed: number;
  dead: number;
}

export interface DeadLetter {
  id: string;
  body: unknown;
  receiveCount: number;
  sentAt: string;
  deadAt: string;
  lastError: string | null;
  /** The event the message stands for (a channel notification: its newest), from its body. */
  eventId: string | null;
  eventIds: string[];
  eventCount: number;
  source: string | null;
  /** From history; null when the event is not stored (yet, or any more). */
  title: string | null;
}

export interface FacetValue {
  value: string;
  count: number;
}

/** GET /api/events/facets: the filters' values in a time range, busiest first. */
export interface Facets {
  sources: FacetValue[];
  severities: FacetValue[];
  services: FacetValue[];
  truncated: { sources: boolean; severities: boolean; services: boolean };
}

/** A runtime silence (origin api): made, listed and expired through the API. */
export interface Silence {
  id: string;
  origin?: 'api';
  match: Record<string, unknown>;
  startsAt: string;
  endsAt: string;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
}

/** A silence of cairn.yaml: listed by the API, changed only in the file. */
export interface ConfigSilence {
  id: string;
  origin: 'config';
  name: string;
  match: Record<string, unknown>;
  comment: string | null;
  startsAt: string | null;
  endsAt: string | null;
  schedule: { expression: string; durationSeconds: number; timeZone: string } | null;
  /** The window holding now, else the next one; null when it will not hold again. */
  nextWindow: { startsAt: string | null; endsAt: string | null } | null;
  state: 'active' | 'scheduled' | 'expired';
}

export interface NewSilence {
  match: Record<string, unknown>;
  startsAt?: string;
  endsAt: string;
  comment?: string;
}

export type ReportDimension = 'month' | 'day' | 'hour' | 'source' | 'severity' | 'service' | 'status';
export const REPORT_DIMENSIONS: readonly ReportDimension[] = [
  'month',
  'day',
  'hour',
  'source',
  'severity',
  'service',
  'status',
];

export interface ReportRow {
  group: Partial<Record<ReportDimension, string>>;
  count: number;
}

export interface Report {
  groupBy: ReportDimension[];
  from: string | null;
  to: string | null;
  rows: ReportRow[];
}
