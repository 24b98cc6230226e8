import type { EnrichedEvent, EventStatus, Severity } from '../../../core/alerts/model.ts';
import type { EventHistory, EventQuery, ReportDimension, ReportRow, StoredEvent } from '../../../ports/alerts.ts';
import type { PageRequest } from '../../../ports/repositories.ts';
import type { EventFacets, FacetValue, SlotCount } from '../../../core/alerts/history/zoned-histogram.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import type { Db } from './db.ts';

interface EventRow {
  event_id: string;
  source: string;
  received_at: number;
  enriched_at: number;
  severity: Severity;
  status: EventStatus;
  service: string | null;
  title: string;
  summary: string;
  fingerprint: string;
  labels: string;
  enrichment: string;
  raw_body: string;
  expires_at: number;
}

const toEvent = (r: EventRow): StoredEvent => ({
  eventId: r.event_id,
  source: r.source,
  receivedAt: new Date(r.received_at).toISOString(),
  enrichedAt: new Date(r.enriched_at).toISOString(),
  severity: r.severity,
  status: r.status,
  service: r.service,
  title: r.title,
  summary: r.summary,
  fingerprint: r.fingerprint,
  labels: JSON.parse(r.labels) as Record<string, string>,
  enrichment: JSON.parse(r.enrichment) as Record<string, unknown>,
  payload: safeParse(r.raw_body),
  rawBody: r.raw_body,
  expiresAt: new Date(r.expires_at).toISOString(),
});

function safeParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/** SQL for a report dimension: time buckets in UTC from the epoch-ms column. */
const DIMENSION_SQL: Record<ReportDimension, string> = {
  month: "strftime('%Y-%m', received_at / 1000, 'unixepoch')",
  day: "strftime('%Y-%m-%d', received_at / 1000, 'unixepoch')",
  hour: "strftime('%Y-%m-%dT%H:00Z', received_at / 1000, 'unixepoch')",
  source: 'source',
  severity: 'severity',
  service: "COALESCE(service, '')",
  status: 'status',
};

/** Event history in SQLite: one row per event (idempotent by id), filtered and reported with SQL. */
export class SqliteEventHistory implements EventHistory {
  private readonly insert;
  private readonly byId;
  private readonly purge;

  constructor(private readonly db: Db) {
    this.insert = db.prepare(
      `INSERT OR IGNORE INTO hub_events (event_id, source, received_at, enriched_at, severity, status, service, title, summary,
         fingerprint, labels, enrichment, raw_body, expires_at)
       VALUES (@event_id, @source, @received_at, @enriched_at, @severity, @status, @service, @title, @summary,
         @fingerprint, @labels, @enrichment, @raw_body, @expires_at)`,
    );
    this.byId = db.prepare('SELECT * FROM hub_events WHERE event_id = ?');
    this.purge = db.prepare(
      'DELETE FROM hub_events WHERE event_id IN (SELECT event_id FROM hub_events WHERE expires_at <= ? LIMIT ?)',
    );
  }

  async save(e: EnrichedEvent, rawBody: string, expiresAt: Date) {
    const { changes } = this.insert.run({
      event_id: e.eventId,
      source: e.source,
      received_at: Date.parse(e.receivedAt),
      enriched_at: Date.parse(e.enrichedAt),
      severity: e.severity,
      status: e.status,
      service: e.service,
      title: e.title,
      summary: e.summary,
      fingerprint: e.fingerprint,
      labels: JSON.stringify(e.labels),
      enrichment: JSON.stringify(e.enrichment),
      raw_body: rawBody,
      expires_at: expiresAt.getTime(),
    });
    return { inserted: changes === 1 };
  }

  async get(id: string) {
    const row = this.byId.get(id) as EventRow | undefined;
    return row ? toEvent(row) : null;
  }

  async query(filter: EventQuery, page: PageRequest) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    const { where, params } = this.where(filter);
    if (after) {
      where.push('(received_at < @c OR (received_at = @c AND event_id < @cid))');
      params.c = after[0]!;
      params.cid = after[1]!;
    }
    const sql = `SELECT * FROM hub_events ${clause(where)} ORDER BY received_at DESC, event_id DESC LIMIT @limit`;
    const rows = this.db.prepare(sql).all({ ...params, limit: limit + 1 }) as EventRow[];
    const items = rows.slice(0, limit).map(toEvent);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, cursor: encodeCursor([last.received_at, last.event_id]) } : { items };
  }

  async report(filter: EventQuery, groupBy: ReportDimension[]): Promise<ReportRow[]> {
    const { where, params } = this.where(filter);
    const cols = groupBy.map((d, i) => `${DIMENSION_SQL[d]} AS g${i}`);
    const sql = `SELECT ${[...cols, 'COUNT(*) AS n'].join(', ')} FROM hub_events ${clause(where)}
      ${groupBy.length ? `GROUP BY ${groupBy.map((_, i) => `g${i}`).join(', ')} ORDER BY ${groupBy.map((_, i) => `g${i}`).join(', ')}` : ''}`;
    const rows = this.db.prepare(sql).all(params) as Record<string, string | number>[];
    return rows.map((r) => ({
      group: Object.fromEntries(groupBy.map((d, i) => [d, String(r[`g${i}`])])),
      count: Number(r.n),
    }));
  }

  async histogram(filter: EventQuery, bucket: 'hour' | 'day') {
    const rows = await this.report(filter, [bucket, 'severity']);
    return rows.map((r) => ({ bucket: r.group[bucket]!, severity: r.group.severity as Severity, count: r.count }));
  }

  async purgeExpired(now: Date, limit: number) {
    return this.purge.run(now.getTime(), limit).changes;
  }

  /** Events per fixed UTC slot and severity (the core buckets them by a zone's wall clock). */
  async slotCounts(filter: EventQuery, slotMs: number): Promise<SlotCount[]> {
    const { where, params } = this.where(filter);
    const sql = `SELECT CAST(received_at / @slot AS INTEGER) * @slot AS slot, severity, COUNT(*) AS n FROM hub_events ${clause(where)}
      GROUP BY slot, severity ORDER BY slot, severity`;
    const rows = this.db.prepare(sql).all({ ...params, slot: Math.trunc(slotMs) }) as {
      slot: number;
      severity: Severity;
      n: number;
    }[];
    return rows.map((r) => ({ slot: r.slot, severity: r.severity, count: r.n }));
  }

  /** The commonest sources, severities and services (most events first), `limit` of each. */
  async facets(filter: EventQuery, limit: number): Promise<EventFacets> {
    const { where, params } = this.where(filter);
    const top = (column: string, extra: string[] = []) =>
      (
        this.db
          .prepare(
            `SELECT ${column} AS value, COUNT(*) AS count FROM hub_events ${clause([...where, ...extra])}
             GROUP BY ${column} ORDER BY count DESC, value LIMIT @limit`,
          )
          .all({ ...params, limit }) as FacetValue[]
      ).map((r) => ({ value: String(r.value), count: Number(r.count) }));
    return { sources: top('source'), severities: top('severity'), services: top('service', ['service IS NOT NULL']) };
  }

  private where(f: EventQuery) {
    const where: string[] = [];
    const params: Record<string, string | number> = {};
    const eq = (col: string, v: string | undefined) => {
      if (v === undefined) return;
      where.push(`${col} = @${col}`);
      params[col] = v;
    };
    eq('source', f.source);
    eq('severity', f.severity);
    eq('service', f.service);
    eq('status', f.status);
    if (f.text) {
      where.push("(title LIKE @text ESCAPE '\\' OR summary LIKE @text ESCAPE '\\' OR raw_body LIKE @text ESCAPE '\\')");
      params.text = `%${f.text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
    }
    if (f.from) {
      where.push('received_at >= @from');
      params.from = Date.parse(f.from);
    }
    if (f.to) {
      where.push('received_at < @to');
      params.to = Date.parse(f.to);
    }
    return { where, params };
  }
}

const clause = (where: string[]) => (where.length ? `WHERE ${where.join(' AND ')}` : '');
