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
  /** `2026-11-26T10:00Z` (hour) or `2026-11-26` (day), UTC. */
  bucket: string;
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
}

export interface Silence {
  id: string;
  match: Record<string, unknown>;
  startsAt: string;
  endsAt: string;
  comment: string | null;
  createdBy: string | null;
  createdAt: string;
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
