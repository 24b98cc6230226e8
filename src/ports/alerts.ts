/**
 * Ports of the notification hub. Local: SQLite tables, fetch, nodemailer. AWS: DynamoDB, SNS, fetch.
 */
import type { DeliveryRecord, DeliveryStatus, EnrichedEvent, Severity } from '../core/alerts/model.ts';
import type { Page, PageRequest } from './repositories.ts';

export interface StoredEvent extends EnrichedEvent {
  rawBody: string;
  /** When history drops it (retention TTL), UTC ISO 8601. */
  expiresAt: string;
}

export interface EventQuery {
  source?: string;
  severity?: Severity;
  service?: string;
  status?: 'firing' | 'resolved';
  /** Case-insensitive substring of title, summary or raw body. */
  text?: string;
  /** Inclusive lower bound on receivedAt, UTC ISO 8601. */
  from?: string;
  /** Exclusive upper bound on receivedAt. */
  to?: string;
}

export interface ReportRow {
  /** One key per groupBy dimension, e.g. { month: '2026-03', source: 'grafana', severity: 'critical' }. */
  group: Record<string, string>;
  count: number;
}

export type ReportDimension = 'month' | 'day' | 'hour' | 'source' | 'severity' | 'service' | 'status';

export interface EventHistory {
  /** Idempotent by eventId: saving the same event twice keeps one row (the first). */
  save(event: EnrichedEvent, rawBody: string, expiresAt: Date): Promise<{ inserted: boolean }>;
  get(eventId: string): Promise<StoredEvent | null>;
  /** Newest first. */
  query(filter: EventQuery, page: PageRequest): Promise<Page<StoredEvent>>;
  report(filter: EventQuery, groupBy: ReportDimension[]): Promise<ReportRow[]>;
  /** Counts per time bucket and severity, for the UI's chart. */
  histogram(
    filter: EventQuery,
    bucket: 'hour' | 'day',
  ): Promise<{ bucket: string; severity: Severity; count: number }[]>;
  /** Removes events whose retention ended; returns how many. */
  purgeExpired(now: Date, limit: number): Promise<number>;
}

export interface DeliveryRepository {
  /** Creates the record unless one exists for (eventId, target); returns the current record. */
  ensure(eventId: string, target: string): Promise<DeliveryRecord>;
  recordAttempt(id: string, outcome: { status: DeliveryStatus; error: string | null; at: Date }): Promise<void>;
  listForEvent(eventId: string): Promise<DeliveryRecord[]>;
}

/** An outbound HTTP call (webhooks, Slack, PagerDuty, Teams, lookups). Never throws on a status. */
export interface HttpRequestSpec {
  url: string;
  method?: 'GET' | 'POST' | 'PUT';
  headers?: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResult {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface HttpClient {
  /** Rejects only on network errors and timeouts (CairnError CAIRN_HTTP_TIMEOUT / CAIRN_HTTP_NETWORK). */
  send(request: HttpRequestSpec): Promise<HttpResult>;
}

export interface MailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html?: string;
  /** Message-ID header, stable per (event, channel) so resends can be spotted. */
  messageId?: string;
}

/** The failure code of Mailer.send: the mail server (SMTP locally, SES on AWS) refused or was unreachable. */
export const MAIL_FAILED = 'CAIRN_MAIL_FAILED';

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
