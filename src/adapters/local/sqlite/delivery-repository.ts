import type { DeliveryRecord, DeliveryStatus } from '../../../core/alerts/model.ts';
import { randomId } from '../../../core/ids.ts';
import type { DeliveryBatches } from '../../../ports/alerts-topic.ts';
import type { DeliveryRepository } from '../../../ports/alerts.ts';
import type { Db } from './db.ts';

interface DeliveryRow {
  id: string;
  event_id: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  last_error: string | null;
  last_attempt_at: number | null;
  delivered_at: number | null;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const toRecord = (r: DeliveryRow): DeliveryRecord => ({
  id: r.id,
  eventId: r.event_id,
  target: r.target,
  status: r.status,
  attempts: r.attempts,
  lastError: r.last_error,
  lastAttemptAt: iso(r.last_attempt_at),
  deliveredAt: iso(r.delivered_at),
});

/**
 * One row per (event, target). A record that succeeded stays succeeded: a late failure report (a
 * duplicate delivery racing the first) counts as an attempt but cannot undo the success.
 */
export class SqliteDeliveryRepository implements DeliveryRepository, DeliveryBatches {
  private readonly q;
  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO hub_deliveries (id, event_id, target, status) VALUES (?, ?, ?, 'pending') ON CONFLICT (event_id, target) DO NOTHING`,
      ),
      get: db.prepare('SELECT * FROM hub_deliveries WHERE event_id = ? AND target = ?'),
      attempt: db.prepare(
        `UPDATE hub_deliveries SET
           attempts = attempts + 1,
           status = CASE WHEN status = 'succeeded' THEN 'succeeded' ELSE @status END,
           last_error = CASE WHEN status = 'succeeded' THEN last_error ELSE @error END,
           last_attempt_at = @at,
           delivered_at = CASE WHEN @status = 'succeeded' THEN COALESCE(delivered_at, @at) ELSE delivered_at END
         WHERE id = @id`,
      ),
      forEvent: db.prepare('SELECT * FROM hub_deliveries WHERE event_id = ? ORDER BY target'),
    };
  }

  async ensure(eventId: string, target: string): Promise<DeliveryRecord> {
    return (await this.ensureAll([eventId], target))[0]!;
  }

  /** One transaction (one fsync) for all; rows that exist are only read. */
  async ensureAll(eventIds: string[], target: string): Promise<DeliveryRecord[]> {
    const rows = this.db.transaction(() =>
      eventIds.map((eventId) => {
        const existing = this.q.get.get(eventId, target) as DeliveryRow | undefined;
        if (existing) return existing;
        this.q.insert.run(`dlv_${randomId()}`, eventId, target);
        return this.q.get.get(eventId, target) as DeliveryRow;
      }),
    )();
    return rows.map(toRecord);
  }

  async recordAttempt(id: string, outcome: { status: DeliveryStatus; error: string | null; at: Date }): Promise<void> {
    await this.recordAttempts([id], outcome);
  }

  async recordAttempts(
    ids: string[],
    outcome: { status: DeliveryStatus; error: string | null; at: Date },
  ): Promise<void> {
    const params = { status: outcome.status, error: outcome.error, at: outcome.at.getTime() };
    this.db.transaction(() => ids.forEach((id) => this.q.attempt.run({ ...params, id })))();
  }

  async listForEvent(eventId: string): Promise<DeliveryRecord[]> {
    return (this.q.forEvent.all(eventId) as DeliveryRow[]).map(toRecord);
  }
}
