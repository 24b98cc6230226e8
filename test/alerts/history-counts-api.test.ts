/**
 * The two history methods behind the histogram in a time zone and the facets API (slotCounts, facets),
 * against both adapters: SQLite, and DynamoDB on dynalite. They must agree.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoEventHistory } from '../../src/adapters/aws/dynamodb/event-history.ts';
import { EVENTS_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteEventHistory } from '../../src/adapters/local/sqlite/event-history.ts';
import type { EventHistoryCounts } from '../../src/core/alerts/history/zoned-histogram.ts';
import type { EnrichedEvent, Severity } from '../../src/core/alerts/model.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { EventHistory } from '../../src/ports/alerts.ts';
import { startDynalite, type RunningDynalite } from '../aws/helpers/dynalite.ts';

type History = EventHistory & EventHistoryCounts;
let dynamo: RunningDynalite | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
  await dynamo?.close();
});

const event = (id: string, at: string, severity: Severity, source: string, service: string | null): EnrichedEvent => ({
  eventId: id,
  source,
  receivedAt: at,
  enrichedAt: at,
  title: id,
  summary: '',
  severity,
  status: 'firing',
  service,
  fingerprint: id,
  labels: {},
  enrichment: {},
  payload: {},
});

const adapters: [string, () => Promise<History>][] = [
  [
    'SQLite',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'cairn-counts-'));
      const db = openDatabase(join(dir, 'cairn.db'));
      cleanups.push(async () => {
        db.close();
        await rm(dir, { recursive: true, force: true });
      });
      return new SqliteEventHistory(db);
    },
  ],
  [
    'DynamoDB on dynalite',
    async () => {
      dynamo ??= await startDynalite();
      return new DynamoEventHistory({
        doc: dynamo.doc(),
        table: await dynamo.table(EVENTS_TABLE),
        retentionSeconds: 400 * 86400,
        clock: new ManualClock(new Date('2026-03-15T00:00:00Z')),
      });
    },
  ],
];

describe.each(adapters)('history counts on %s', (_name, open) => {
  it('counts events per UTC slot (the slot start, floored) and severity', async () => {
    const h = await open();
    const expires = new Date('2099-01-01T00:00:00Z');
    await h.save(event('a', '2026-03-01T10:05:00Z', 'critical', 'grafana', 'api'), '{}', expires);
    await h.save(event('b', '2026-03-01T10:14:59Z', 'critical', 'grafana', 'api'), '{}', expires);
    await h.save(event('c', '2026-03-01T10:15:00Z', 'info', 'github', null), '{}', expires);
    await h.save(event('d', '2026-03-01T11:59:00Z', 'critical', 'github', 'web'), '{}', expires);
    const quarter = await h.slotCounts({ from: '2026-03-01T00:00:00Z', to: '2026-03-02T00:00:00Z' }, 900_000);
    expect(quarter).toEqual([
      { slot: Date.parse('2026-03-01T10:00:00Z'), severity: 'critical', count: 2 },
      { slot: Date.parse('2026-03-01T10:15:00Z'), severity: 'info', count: 1 },
      { slot: Date.parse('2026-03-01T11:45:00Z'), severity: 'critical', count: 1 },
    ]);
    const hour = await h.slotCounts({ source: 'grafana', from: '2026-03-01T00:00:00Z' }, 3_600_000);
    expect(hour).toEqual([{ slot: Date.parse('2026-03-01T10:00:00Z'), severity: 'critical', count: 2 }]);
  });

  it('gives the commonest values of each dimension, busiest first, ties by value, at most limit', async () => {
    const h = await open();
    const expires = new Date('2099-01-01T00:00:00Z');
    const rows: [Severity, string, string | null][] = [
      ['warning', 'grafana', 'api'],
      ['warning', 'grafana', 'web'],
      ['critical', 'github', 'api'],
      ['info', 'cairn', null],
      ['info', 'cairn', null],
    ];
    for (const [i, [sev, src, svc]] of rows.entries())
      await h.save(event(`f${i}`, `2026-03-0${i + 1}T08:00:00Z`, sev, src, svc), '{}', expires);
    const all = await h.facets({ from: '2026-03-01T00:00:00Z', to: '2026-03-10T00:00:00Z' }, 10);
    expect(all).toEqual({
      sources: [
        { value: 'cairn', count: 2 },
        { value: 'grafana', count: 2 },
        { value: 'github', count: 1 },
      ],
      severities: [
        { value: 'info', count: 2 },
        { value: 'warning', count: 2 },
        { value: 'critical', count: 1 },
      ],
      services: [
        { value: 'api', count: 2 },
        { value: 'web', count: 1 },
      ],
    });
    const top = await h.facets({ from: '2026-03-02T00:00:00Z', to: '2026-03-10T00:00:00Z' }, 1);
    expect(top).toEqual({
      sources: [{ value: 'cairn', count: 2 }],
      severities: [{ value: 'info', count: 2 }],
      services: [{ value: 'api', count: 1 }],
    });
  });
});
