/**
 * The hub's event history in its own table (docs/aws-data-model.md): one item per event,
 * `pk = EVT#<eventId>`, `sk = EVT`, written once (a conditional put keeps the first copy), removed by
 * DynamoDB TTL (`ttl`, epoch seconds of `expiresAt`) — so purgeExpired has nothing to do here.
 *
 * Time queries walk month partitions, newest first:
 * - GSI1 `MONTH#<yyyy-mm>` sorted by `<receivedAt>#<eventId>`: every event of the month;
 * - GSI2 `SRC#<source>#<yyyy-mm>`, same sort key: one source's events (the UI's commonest filter).
 * Severity, status and service are filter expressions; the text search (case-insensitive, over title,
 * summary and raw body) runs here, on what the key conditions returned. A month partition takes every
 * write of its month: about 1,000 events a second is a GSI partition's limit (see the data model doc for
 * sharding). Reports and histograms read the matching events and count them here, up to `maxScan`.
 */
import { GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { CairnError } from '../../../core/errors.ts';
import type { EnrichedEvent, EventStatus, Severity } from '../../../core/alerts/model.ts';
import type { EventHistory, EventQuery, ReportDimension, ReportRow, StoredEvent } from '../../../ports/alerts.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import type { EventFacets, FacetValue, SlotCount } from '../../../core/alerts/history/zoned-histogram.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import { type Doc, decodeCursor, encodeCursor, isConditionFailed, pad, pageLimit } from './dynamo.ts';

interface EventItem {
  gsi1sk: string;
  eventId: string;
  source: string;
  receivedAt: string;
  enrichedAt: string;
  title: string;
  summary: string;
  severity: Severity;
  status: EventStatus;
  service?: string;
  fingerprint: string;
  labels: string;
  enrichment: string;
  rawBody: string;
  expiresAt: string;
}

export interface DynamoEventHistoryOptions {
  doc: Doc;
  table: string;
  /** How far back an unbounded query looks (alerts.retention). */
  retentionSeconds: number;
  clock?: Clock;
  /** The most events one report (or one page of a filtered query) reads; default 100,000. */
  maxScan?: number;
}

const month = (ms: number) => new Date(ms).toISOString().slice(0, 7);

/** Month partitions from the one holding `newestMs` back to the one holding `oldestMs`. */
function monthsBetween(oldestMs: number, newestMs: number): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(new Date(newestMs).getUTCFullYear(), new Date(newestMs).getUTCMonth(), 1));
  const stop = month(oldestMs);
  for (let m = month(d.getTime()); m >= stop && out.length < 1200; m = month(d.getTime())) {
    out.push(m);
    d.setUTCMonth(d.getUTCMonth() - 1);
  }
  return out;
}

const safeParse = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
};

const toEvent = (i: EventItem): StoredEvent => ({
  eventId: i.eventId,
  source: i.source,
  receivedAt: i.receivedAt,
  enrichedAt: i.enrichedAt,
  severity: i.severity,
  status: i.status,
  service: i.service ?? null,
  title: i.title,
  summary: i.summary,
  fingerprint: i.fingerprint,
  labels: JSON.parse(i.labels) as Record<string, string>,
  enrichment: JSON.parse(i.enrichment) as Record<string, unknown>,
  payload: safeParse(i.rawBody),
  rawBody: i.rawBody,
  expiresAt: i.expiresAt,
});

const DIMENSION: Record<ReportDimension, (e: EventItem) => string> = {
  month: (e) => e.receivedAt.slice(0, 7),
  day: (e) => e.receivedAt.slice(0, 10),
  hour: (e) => `${e.receivedAt.slice(0, 13)}:00Z`,
  source: (e) => e.source,
  severity: (e) => e.severity,
  service: (e) => e.service ?? '',
  status: (e) => e.status,
};

export class DynamoEventHistory implements EventHistory {
  private readonly clock: Clock;
  private readonly maxScan: number;

  constructor(private readonly o: DynamoEventHistoryOptions) {
    this.clock = o.clock ?? systemClock;
    this.maxScan = o.maxScan ?? 100_000;
  }

  async save(e: EnrichedEvent, rawBody: string, expiresAt: Date): Promise<{ inserted: boolean }> {
    const receivedMs = Date.parse(e.receivedAt);
    const sk = `${pad(receivedMs)}#${e.eventId}`;
    try {
      await this.o.doc.send(
        new PutCommand({
          TableName: this.o.table,
          Item: {
            pk: `EVT#${e.eventId}`,
            sk: 'EVT',
            type: 'event',
            eventId: e.eventId,
            source: e.source,
            receivedAt: new Date(receivedMs).toISOString(),
            enrichedAt: new Date(Date.parse(e.enrichedAt)).toISOString(),
            title: e.title,
            summary: e.summary,
            severity: e.severity,
            status: e.status,
            service: e.service ?? undefined,
            fingerprint: e.fingerprint,
            labels: JSON.stringify(e.labels),
            enrichment: JSON.stringify(e.enrichment),
            rawBody,
            expiresAt: expiresAt.toISOString(),
            ttl: Math.floor(expiresAt.getTime() / 1000),
            gsi1pk: `MONTH#${month(receivedMs)}`,
            gsi1sk: sk,
            gsi2pk: `SRC#${e.source}#${month(receivedMs)}`,
            gsi2sk: sk,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return { inserted: true };
    } catch (err) {
      if (isConditionFailed(err)) return { inserted: false };
      throw translateAwsError(err, 'DynamoDB PutItem (event)');
    }
  }

  async get(eventId: string): Promise<StoredEvent | null> {
    const out = await awsCall('DynamoDB GetItem (event)', () =>
      this.o.doc.send(
        new GetCommand({ TableName: this.o.table, Key: { pk: `EVT#${eventId}`, sk: 'EVT' }, ConsistentRead: true }),
      ),
    );
    return out.Item ? toEvent(out.Item as EventItem) : null;
  }

  async query(filter: EventQuery, page: PageRequest): Promise<Page<StoredEvent>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor, 1)?.[0];
    const found: EventItem[] = [];
    for await (const item of this.scan(filter, after)) {
      found.push(item);
      if (found.length > limit) break;
    }
    const items = found.slice(0, limit).map(toEvent);
    return found.length > limit ? { items, cursor: encodeCursor([found[limit - 1]!.gsi1sk]) } : { items };
  }

  async report(filter: EventQuery, groupBy: ReportDimension[]): Promise<ReportRow[]> {
    const counts = new Map<string, { group: Record<string, string>; count: number }>();
    for await (const item of this.scan(filter, undefined)) {
      const values = groupBy.map((d) => DIMENSION[d](item));
      const key = JSON.stringify(values);
      const row = counts.get(key) ?? { group: Object.fromEntries(groupBy.map((d, i) => [d, values[i]!])), count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    const sortKey = (r: { group: Record<string, string> }) => groupBy.map((d) => r.group[d]!);
    return [...counts.values()].sort((a, b) => {
      const [x, y] = [sortKey(a), sortKey(b)];
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
      return 0;
    });
  }

  async histogram(filter: EventQuery, bucket: 'hour' | 'day') {
    const rows = await this.report(filter, [bucket, 'severity']);
    return rows.map((r) => ({ bucket: r.group[bucket]!, severity: r.group.severity as Severity, count: r.count }));
  }

  /** Events per fixed UTC slot and severity, counted here like report() (up to `maxScan`). */
  async slotCounts(filter: EventQuery, slotMs: number): Promise<SlotCount[]> {
    const counts = new Map<string, SlotCount>();
    for await (const item of this.scan(filter, undefined)) {
      const slot = Math.floor(Date.parse(item.receivedAt) / slotMs) * slotMs;
      const key = `${slot}#${item.severity}`;
      const row = counts.get(key) ?? { slot, severity: item.severity, count: 0 };
      row.count += 1;
      counts.set(key, row);
    }
    return [...counts.values()].sort(
      (a, b) => a.slot - b.slot || (a.severity < b.severity ? -1 : a.severity > b.severity ? 1 : 0),
    );
  }

  /** The commonest sources, severities and services, counted in one pass over the matching events. */
  async facets(filter: EventQuery, limit: number): Promise<EventFacets> {
    const maps = {
      sources: new Map<string, number>(),
      severities: new Map<string, number>(),
      services: new Map<string, number>(),
    };
    const add = (m: Map<string, number>, v: string | undefined) => v !== undefined && m.set(v, (m.get(v) ?? 0) + 1);
    for await (const item of this.scan(filter, undefined)) {
      add(maps.sources, item.source);
      add(maps.severities, item.severity);
      add(maps.services, item.service);
    }
    const top = (m: Map<string, number>): FacetValue[] =>
      [...m]
        .map(([value, count]) => ({ value, count }))
        .sort((a, b) => b.count - a.count || (a.value < b.value ? -1 : a.value > b.value ? 1 : 0))
        .slice(0, limit);
    return { sources: top(maps.sources), severities: top(maps.severities), services: top(maps.services) };
  }

  /** DynamoDB TTL removes expired events (within a day or two of `expiresAt`); nothing to do here. */
  async purgeExpired(): Promise<number> {
    return 0;
  }

  /** Matching events, newest first, strictly before the cursor's sort key. */
  private async *scan(f: EventQuery, afterSk: string | undefined): AsyncGenerator<EventItem> {
    const now = this.clock.now().getTime();
    const toMs = f.to ? Date.parse(f.to) : now + 86_400_000;
    const fromMs = f.from ? Date.parse(f.from) : now - this.o.retentionSeconds * 1000;
    const hiBound = afterSk && afterSk < pad(toMs) ? afterSk : pad(toMs);
    const names: Record<string, string> = {};
    const values: Record<string, unknown> = { ':lo': pad(fromMs), ':hi': hiBound };
    const conditions: string[] = [];
    for (const k of ['severity', 'status', 'service'] as const) {
      if (f[k] === undefined) continue;
      names[`#${k}`] = k;
      values[`:${k}`] = f[k];
      conditions.push(`#${k} = :${k}`);
    }
    const text = f.text?.toLowerCase();
    let read = 0;
    const hiMs = Math.min(toMs, afterSk ? Number(afterSk.slice(0, 15)) : toMs);
    for (const m of monthsBetween(fromMs, hiMs)) {
      const [index, partition] = f.source ? ['gsi2', `SRC#${f.source}#${m}`] : ['gsi1', `MONTH#${m}`];
      let start: Record<string, unknown> | undefined;
      do {
        const out = await awsCall('DynamoDB Query (events)', () =>
          this.o.doc.send(
            new QueryCommand({
              TableName: this.o.table,
              IndexName: index,
              KeyConditionExpression: `${index}pk = :p AND ${index}sk BETWEEN :lo AND :hi`,
              ...(conditions.length ? { FilterExpression: conditions.join(' AND ') } : {}),
              ...(Object.keys(names).length ? { ExpressionAttributeNames: names } : {}),
              ExpressionAttributeValues: { ...values, ':p': partition },
              ScanIndexForward: false,
              ExclusiveStartKey: start,
            }),
          ),
        );
        read += out.ScannedCount ?? 0;
        for (const item of (out.Items ?? []) as EventItem[]) {
          if (item.gsi1sk === afterSk || item.gsi1sk === pad(toMs)) continue;
          if (text && !`${item.title}\n${item.summary}\n${item.rawBody}`.toLowerCase().includes(text)) continue;
          yield item;
        }
        if (read > this.maxScan) {
          throw new CairnError(
            'CAIRN_HISTORY_QUERY_TOO_BROAD',
            'invalid',
            `The query reads more than ${this.maxScan} events: narrow it with from/to or a source.`,
          );
        }
        start = out.LastEvaluatedKey;
      } while (start);
    }
  }
}
