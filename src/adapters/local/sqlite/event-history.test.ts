import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrichedEvent, Severity } from '../../../core/alerts/model.ts';
import { parseReportQuery, reportToCsv } from '../../../core/alerts/history/query.ts';
import { type Db, openDatabase } from './db.ts';
import { SqliteEventHistory } from './event-history.ts';

const event = (
  id: string,
  at: string,
  source: string,
  severity: Severity,
  extra: Partial<EnrichedEvent> = {},
): EnrichedEvent => ({
  eventId: id,
  source,
  receivedAt: at,
  enrichedAt: at,
  title: `title ${id}`,
  summary: '',
  severity,
  status: 'firing',
  service: 'api',
  fingerprint: 'fp',
  labels: {},
  enrichment: {},
  payload: {},
  ...extra,
});

describe('SqliteEventHistory', () => {
  let dir: string;
  let db: Db;
  let history: SqliteEventHistory;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-hist-'));
    db = openDatabase(join(dir, 'db.sqlite'));
    history = new SqliteEventHistory(db);
  });
  afterEach(() => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores an event once however often it is saved', async () => {
    const e = event('e1', '2026-03-01T10:00:00.000Z', 'grafana', 'critical');
    expect(await history.save(e, '{"a":1}', new Date('2027-01-01'))).toEqual({ inserted: true });
    expect(await history.save({ ...e, title: 'changed' }, '{}', new Date('2027-01-01'))).toEqual({ inserted: false });
    expect((await history.get('e1'))?.title).toBe('title e1');
  });

  it('filters by source, severity, text and time range, newest first, across pages', async () => {
    for (let i = 0; i < 25; i++) {
      await history.save(
        event(
          `e${i}`,
          new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
          i % 2 ? 'github' : 'grafana',
          i % 3 ? 'info' : 'critical',
          { summary: i === 7 ? 'needle 100% here' : '' },
        ),
        '{}',
        new Date('2030-01-01'),
      );
    }
    const page1 = await history.query({ source: 'grafana' }, { limit: 5 });
    expect(page1.items.map((e) => e.eventId)).toEqual(['e24', 'e22', 'e20', 'e18', 'e16']);
    const page2 = await history.query({ source: 'grafana' }, { limit: 5, cursor: page1.cursor! });
    expect(page2.items[0]!.eventId).toBe('e14');
    expect((await history.query({ text: '100%' }, {})).items.map((e) => e.eventId)).toEqual(['e7']);
    expect((await history.query({ text: '%' }, {})).items.map((e) => e.eventId)).toEqual(['e7']);
    const ranged = await history.query(
      { from: '2026-01-01T00:03:00.000Z', to: '2026-01-01T00:06:00.000Z', severity: 'critical' },
      {},
    );
    expect(ranged.items.map((e) => e.eventId)).toEqual(['e3']);
  });

  it('counts events per month, source and severity for the year-end report, as JSON or CSV', async () => {
    await history.save(event('a', '2026-01-05T00:00:00.000Z', 'grafana', 'critical'), '{}', new Date('2030-01-01'));
    await history.save(event('b', '2026-01-06T00:00:00.000Z', 'grafana', 'critical'), '{}', new Date('2030-01-01'));
    await history.save(event('c', '2026-02-01T00:00:00.000Z', '=cmd', 'info'), '{}', new Date('2030-01-01'));
    await history.save(event('d', '2025-12-31T23:59:59.000Z', 'grafana', 'info'), '{}', new Date('2030-01-01'));
    const { filter, groupBy } = parseReportQuery({ year: '2026', groupBy: 'month,source,severity' });
    const rows = await history.report(filter, groupBy);
    expect(rows).toEqual([
      { group: { month: '2026-01', source: 'grafana', severity: 'critical' }, count: 2 },
      { group: { month: '2026-02', source: '=cmd', severity: 'info' }, count: 1 },
    ]);
    expect(reportToCsv(groupBy, rows)).toBe(
      "month,source,severity,count\r\n2026-01,grafana,critical,2\r\n2026-02,'=cmd,info,1\r\n",
    );
  });

  it('drops events whose retention ended', async () => {
    await history.save(event('old', '2026-01-01T00:00:00.000Z', 's', 'info'), '{}', new Date('2026-02-01'));
    await history.save(event('new', '2026-01-01T00:00:00.000Z', 's', 'info'), '{}', new Date('2027-02-01'));
    expect(await history.purgeExpired(new Date('2026-06-01'), 100)).toBe(1);
    expect(await history.get('old')).toBeNull();
    expect(await history.get('new')).not.toBeNull();
  });

  it('refuses a bad report query with the parameter and the reason', () => {
    expect(() => parseReportQuery({ year: '26' })).toThrow(/year: must be a four-digit year/);
    expect(() => parseReportQuery({ groupBy: 'month,planet' })).toThrow(/groupBy: "planet"/);
  });
});
