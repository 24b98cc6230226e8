/**
 * The hub repositories' contract (event history, deliveries, subscriptions, silences, notification
 * groups): the SQLite adapters and the DynamoDB ones run this same suite.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EnrichedEvent, Severity } from '../../../src/core/alerts/model.ts';
import type {
  DeliveryBatches,
  NotificationGroup,
  NotificationGroupRepository,
  SilenceStore,
  SubscriptionStore,
} from '../../../src/ports/alerts-topic.ts';
import type { DeliveryRepository, EventHistory } from '../../../src/ports/alerts.ts';

export interface HubFixture {
  history: EventHistory;
  deliveries: DeliveryRepository & DeliveryBatches;
  subscriptions: SubscriptionStore;
  silences: SilenceStore;
  groups: NotificationGroupRepository;
  cleanup(): Promise<void>;
}

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

const KEEP = new Date('2027-06-01T00:00:00Z');
const minute = (i: number) => new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString();

const group = (id: string, over: Partial<NotificationGroup> = {}): NotificationGroup => ({
  id,
  routeKey: 'r0:abc',
  channel: 'slack',
  groupKey: 'service=api',
  createdAt: new Date('2026-01-01T00:00:00Z'),
  lastSentAt: null,
  nextFlushAt: null,
  sent: 0,
  added: 0,
  members: {},
  version: 0,
  ...over,
});

export function describeHubRepositoriesContract(name: string, make: () => Promise<HubFixture>): void {
  describe(`Hub repositories contract: ${name}`, () => {
    let f: HubFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    it('stores an event once however often it is saved, and gives it back with its raw body', async () => {
      const e = event('e1', '2026-01-01T10:00:00.000Z', 'grafana', 'critical', {
        labels: { team: 'core' },
        enrichment: { owner: { name: 'x' } },
      });
      expect(await f.history.save(e, '{"a":1}', KEEP)).toEqual({ inserted: true });
      expect(await f.history.save({ ...e, title: 'changed' }, '{}', KEEP)).toEqual({ inserted: false });
      expect(await f.history.get('e1')).toEqual({
        ...e,
        payload: { a: 1 },
        rawBody: '{"a":1}',
        expiresAt: KEEP.toISOString(),
      });
      expect(await f.history.get('nope')).toBeNull();
    });

    it('queries newest first by source, severity, text and time range, page by page', async () => {
      for (let i = 0; i < 25; i++) {
        await f.history.save(
          event(`e${i}`, minute(i), i % 2 ? 'github' : 'grafana', i % 3 ? 'warning' : 'critical', {
            title: i === 7 ? 'Disk FULL on db-1' : `title e${i}`,
          }),
          `{"i":${i}}`,
          KEEP,
        );
      }
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await f.history.query({ source: 'grafana' }, { limit: 5, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((e) => e.eventId));
        cursor = page.cursor;
      } while (cursor);
      expect(seen).toEqual([24, 22, 20, 18, 16, 14, 12, 10, 8, 6, 4, 2, 0].map((i) => `e${i}`));
      const critical = await f.history.query({ severity: 'critical', from: minute(3), to: minute(12) }, {});
      expect(critical.items.map((e) => e.eventId)).toEqual(['e9', 'e6', 'e3']);
      expect((await f.history.query({ text: 'disk full' }, {})).items.map((e) => e.eventId)).toEqual(['e7']);
      expect((await f.history.query({ text: '"i":13' }, {})).items.map((e) => e.eventId)).toEqual(['e13']);
      await expect(f.history.query({}, { cursor: 'garbage' })).rejects.toMatchObject({ code: 'CAIRN_INVALID_CURSOR' });
    });

    it('finds events across month boundaries', async () => {
      await f.history.save(event('jan', '2026-01-31T23:59:59.000Z', 'grafana', 'info'), '{}', KEEP);
      await f.history.save(event('feb', '2026-02-01T00:00:00.000Z', 'grafana', 'info'), '{}', KEEP);
      await f.history.save(event('dec', '2025-12-15T00:00:00.000Z', 'grafana', 'info'), '{}', KEEP);
      const page = await f.history.query({ from: '2025-12-01T00:00:00Z', to: '2026-03-01T00:00:00Z' }, { limit: 2 });
      expect(page.items.map((e) => e.eventId)).toEqual(['feb', 'jan']);
      const next = await f.history.query(
        { from: '2025-12-01T00:00:00Z', to: '2026-03-01T00:00:00Z' },
        { limit: 2, cursor: page.cursor! },
      );
      expect(next.items.map((e) => e.eventId)).toEqual(['dec']);
    });

    it('reports counts per month, source and severity, and a histogram per day', async () => {
      const at = ['2026-01-05T01:00:00.000Z', '2026-01-05T02:00:00.000Z', '2026-02-01T00:00:00.000Z'];
      await f.history.save(event('a', at[0]!, 'grafana', 'critical'), '{}', KEEP);
      await f.history.save(event('b', at[1]!, 'grafana', 'critical', { service: null }), '{}', KEEP);
      await f.history.save(event('c', at[2]!, 'github', 'info'), '{}', KEEP);
      const filter = { from: '2026-01-01T00:00:00Z', to: '2026-03-01T00:00:00Z' };
      expect(await f.history.report(filter, ['month', 'source', 'severity'])).toEqual([
        { group: { month: '2026-01', source: 'grafana', severity: 'critical' }, count: 2 },
        { group: { month: '2026-02', source: 'github', severity: 'info' }, count: 1 },
      ]);
      expect(await f.history.report(filter, ['service'])).toEqual([
        { group: { service: '' }, count: 1 },
        { group: { service: 'api' }, count: 2 },
      ]);
      expect(await f.history.histogram(filter, 'day')).toEqual([
        { bucket: '2026-01-05', severity: 'critical', count: 2 },
        { bucket: '2026-02-01', severity: 'info', count: 1 },
      ]);
    });

    it('keeps one delivery record per event and target, and a success stays a success', async () => {
      const r = await f.deliveries.ensure('e1', 'channel:slack');
      expect(r).toMatchObject({
        eventId: 'e1',
        target: 'channel:slack',
        status: 'pending',
        attempts: 0,
        lastError: null,
      });
      expect((await f.deliveries.ensure('e1', 'channel:slack')).id).toBe(r.id);
      const at = new Date('2026-01-01T00:00:00Z');
      await f.deliveries.recordAttempt(r.id, { status: 'failed', error: 'HTTP 500', at });
      await f.deliveries.recordAttempt(r.id, { status: 'succeeded', error: null, at: new Date(at.getTime() + 1000) });
      await f.deliveries.recordAttempt(r.id, {
        status: 'failed',
        error: 'late duplicate',
        at: new Date(at.getTime() + 2000),
      });
      const [stored] = await f.deliveries.listForEvent('e1');
      expect(stored).toMatchObject({
        status: 'succeeded',
        attempts: 3,
        lastError: null,
        deliveredAt: new Date(at.getTime() + 1000).toISOString(),
        lastAttemptAt: new Date(at.getTime() + 2000).toISOString(),
      });
      await f.deliveries.ensure('e1', 'channel:alpha');
      expect((await f.deliveries.listForEvent('e1')).map((d) => d.target)).toEqual(['channel:alpha', 'channel:slack']);
    });

    it('ensures and records deliveries for many events at once', async () => {
      const records = await f.deliveries.ensureAll(['a', 'b', 'c'], 'channel:teams');
      expect(records.map((r) => r.eventId)).toEqual(['a', 'b', 'c']);
      await f.deliveries.recordAttempts(
        records.map((r) => r.id),
        { status: 'dead', error: 'gave up', at: new Date() },
      );
      expect((await f.deliveries.listForEvent('b'))[0]).toMatchObject({
        status: 'dead',
        attempts: 1,
        lastError: 'gave up',
      });
    });

    it('puts, replaces, lists and deletes runtime subscriptions', async () => {
      const s = {
        name: 'ops',
        endpoint: 'https://example.test/hook',
        secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
        filterPolicy: { severity: ['critical'] },
        filterPolicyScope: 'MessageAttributes' as const,
        maxReceiveCount: 5,
        createdAt: '2026-01-01T00:00:00.000Z',
      };
      await f.subscriptions.put(s);
      await f.subscriptions.put({ ...s, name: 'audit', filterPolicy: null });
      await f.subscriptions.put({ ...s, endpoint: 'https://example.test/v2' });
      expect(await f.subscriptions.get('ops')).toEqual({ ...s, endpoint: 'https://example.test/v2' });
      expect((await f.subscriptions.list()).map((x) => [x.name, x.filterPolicy])).toEqual([
        ['audit', null],
        ['ops', { severity: ['critical'] }],
      ]);
      expect(await f.subscriptions.delete('ops')).toBe(true);
      expect(await f.subscriptions.delete('ops')).toBe(false);
      expect(await f.subscriptions.get('ops')).toBeNull();
    });

    it('keeps silences: current ones for the notifier, all of them newest first, and ends them early', async () => {
      const mk = (id: string, starts: string, ends: string, created: string) => ({
        id,
        match: { service: ['api'] },
        startsAt: starts,
        endsAt: ends,
        comment: id === 'a' ? 'deploy' : null,
        createdBy: id === 'a' ? 'alice' : null,
        createdAt: created,
      });
      const a = mk('a', '2026-01-01T10:00:00.000Z', '2026-01-01T12:00:00.000Z', '2026-01-01T09:00:00.000Z');
      const b = mk('b', '2026-01-01T08:00:00.000Z', '2026-01-01T09:00:00.000Z', '2026-01-01T07:00:00.000Z');
      const c = mk('c', '2026-01-01T09:30:00.000Z', '2026-01-02T00:00:00.000Z', '2026-01-01T09:10:00.000Z');
      for (const s of [a, b, c]) await f.silences.create(s);
      expect(await f.silences.get('a')).toEqual(a);
      const now = new Date('2026-01-01T09:45:00Z');
      expect((await f.silences.current(now)).map((s) => s.id)).toEqual(['c', 'a']);
      const first = await f.silences.list({ limit: 2 });
      expect(first.items.map((s) => s.id)).toEqual(['c', 'a']);
      expect((await f.silences.list({ limit: 2, cursor: first.cursor! })).items.map((s) => s.id)).toEqual(['b']);
      expect(await f.silences.expire('c', now)).toMatchObject({ id: 'c', endsAt: now.toISOString() });
      expect(await f.silences.expire('b', now)).toMatchObject({ endsAt: b.endsAt });
      expect(await f.silences.expire('nope', now)).toBeNull();
      expect((await f.silences.current(now)).map((s) => s.id)).toEqual(['a']);
    });

    it('adds events to a group under the version read, and tells duplicates from conflicts', async () => {
      const g1 = group('g1', { added: 1, version: 1, nextFlushAt: new Date('2026-01-01T00:01:00Z') });
      expect(await f.groups.addEvent(g1, 0, { eventId: 'e1', fingerprint: 'fa', seq: 1 })).toBe('added');
      expect(await f.groups.addEvent(g1, 0, { eventId: 'e2', fingerprint: 'fa', seq: 1 })).toBe('conflict');
      expect(
        await f.groups.addEvent({ ...g1, added: 2, version: 2 }, 1, { eventId: 'e1', fingerprint: 'fa', seq: 2 }),
      ).toBe('duplicate');
      const g2 = { ...g1, added: 2, version: 2 };
      expect(await f.groups.addEvent(g2, 1, { eventId: 'e2', fingerprint: 'fb', seq: 2 })).toBe('added');
      expect(await f.groups.get('g1')).toEqual(g2);
      expect(
        await f.groups.addEvent({ ...g2, added: 3, version: 3 }, 1, { eventId: 'e3', fingerprint: 'fa', seq: 3 }),
      ).toBe('conflict');
      const p = await f.groups.pending('g1', 2, 10);
      expect(p).toEqual({ total: 2, latest: ['e1', 'e2'], fingerprints: expect.arrayContaining(['fa', 'fb']) });
      expect(p.fingerprints).toHaveLength(2);
      expect(await f.groups.pending('g1', 1, 10)).toEqual({ total: 1, latest: ['e1'], fingerprints: ['fa'] });
      expect((await f.groups.pending('g1', 2, 1)).latest).toEqual(['e2']);
      expect(await f.groups.pending('none', 5, 10)).toEqual({ total: 0, latest: [], fingerprints: [] });
    });

    it('lists the groups due, soonest first, and commits or drops a flush under the version read', async () => {
      const due = (id: string, at: string) => group(id, { added: 1, version: 1, nextFlushAt: new Date(at) });
      await f.groups.addEvent(due('late', '2026-01-01T00:05:00Z'), 0, { eventId: 'x1', fingerprint: 'f', seq: 1 });
      await f.groups.addEvent(due('soon', '2026-01-01T00:01:00Z'), 0, { eventId: 'x2', fingerprint: 'f', seq: 1 });
      await f.groups.addEvent(group('idle', { added: 1, version: 1 }), 0, { eventId: 'x3', fingerprint: 'f', seq: 1 });
      expect((await f.groups.due(new Date('2026-01-01T00:05:00Z'), 10)).map((g) => g.id)).toEqual(['soon', 'late']);
      expect((await f.groups.due(new Date('2026-01-01T00:02:00Z'), 10)).map((g) => g.id)).toEqual(['soon']);
      const soon = (await f.groups.get('soon'))!;
      await f.groups.addEvent({ ...soon, added: 2, version: 2 }, 1, { eventId: 'x4', fingerprint: 'g', seq: 2 });
      expect(await f.groups.commitFlush('soon', 1, 1, { ...soon, sent: 1, nextFlushAt: null, version: 2 })).toBe(false);
      const flushed = { ...soon, added: 2, sent: 1, nextFlushAt: null, version: 3 };
      expect(await f.groups.commitFlush('soon', 2, 1, flushed)).toBe(true);
      expect(await f.groups.pending('soon', 2, 10)).toEqual({ total: 1, latest: ['x4'], fingerprints: ['g'] });
      expect((await f.groups.due(new Date('2026-01-01T01:00:00Z'), 10)).map((g) => g.id)).toEqual(['late']);
      expect(await f.groups.commitFlush('late', 1, 1, null)).toBe(true);
      expect(await f.groups.get('late')).toBeNull();
    });
  });
}
