import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from './db.ts';
import { SqliteDeliveryRepository } from './delivery-repository.ts';

describe('SqliteDeliveryRepository', () => {
  let db: Db;
  let repo: SqliteDeliveryRepository;
  beforeEach(() => {
    db = openDatabase(':memory:');
    repo = new SqliteDeliveryRepository(db);
  });
  afterEach(() => db.close());

  const at = new Date('2026-03-01T10:00:00Z');

  it('keeps one record per event and target', async () => {
    const a = await repo.ensure('evt_1', 'channel:slack');
    expect(a).toMatchObject({
      eventId: 'evt_1',
      target: 'channel:slack',
      status: 'pending',
      attempts: 0,
      deliveredAt: null,
    });
    expect(await repo.ensure('evt_1', 'channel:slack')).toEqual(a);
    const [again, other] = await repo.ensureAll(['evt_1', 'evt_2'], 'channel:slack');
    expect(again).toEqual(a);
    expect(other!.id).not.toBe(a.id);
    await repo.ensure('evt_1', 'subscription:audit');
    expect((await repo.listForEvent('evt_1')).map((r) => r.target)).toEqual(['channel:slack', 'subscription:audit']);
  });

  it('counts attempts and keeps a success once recorded', async () => {
    const r = await repo.ensure('evt_1', 'channel:slack');
    await repo.recordAttempt(r.id, { status: 'failed', error: 'HTTP 500', at });
    await repo.recordAttempts([r.id], { status: 'succeeded', error: null, at: new Date(at.getTime() + 1000) });
    await repo.recordAttempt(r.id, { status: 'failed', error: 'late duplicate', at: new Date(at.getTime() + 2000) });
    expect(await repo.ensure('evt_1', 'channel:slack')).toMatchObject({
      status: 'succeeded',
      attempts: 3,
      lastError: null,
      lastAttemptAt: '2026-03-01T10:00:02.000Z',
      deliveredAt: '2026-03-01T10:00:01.000Z',
    });
  });
});
