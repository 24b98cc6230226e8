/**
 * Alarm states and their history in SQLite. A transition is one transaction: the new state and a
 * history row holding the exact IngestedEvent for the hub. The history is also an outbox: the agent puts
 * each row's event on the `events` queue (dedup id = alarm name + transition time) and then marks it
 * queued, so a crash between the two sends it again and the queue drops the duplicate.
 */
import type { IngestedEvent } from '../../../core/alerts/model.ts';
import type { AlarmState, AlarmStateValue } from '../../../core/logs/alarms/index.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../sqlite/cursor.ts';
import type { Db } from '../sqlite/db.ts';

export interface StoredAlarmState extends AlarmStateValue {
  /** End (epoch ms) of the last period evaluated; null before the first evaluation. */
  lastPeriodEnd: number | null;
  evaluatedAt: string | null;
}

export interface AlarmHistoryItem {
  id: string;
  alarmName: string;
  timestamp: string;
  oldState: AlarmState;
  newState: AlarmState;
  reason: string;
  eventId: string;
  queued: boolean;
}

interface HistoryRow {
  id: number;
  alarm: string;
  at: number;
  old_state: AlarmState;
  new_state: AlarmState;
  reason: string;
  event: string;
  queued_at: number | null;
}

export class SqliteAlarmStore {
  constructor(readonly db: Db) {}

  state(name: string): StoredAlarmState | undefined {
    const r = this.db.prepare('SELECT * FROM log_alarm_states WHERE name = ?').get(name) as
      | {
          state: AlarmState;
          reason: string;
          reason_data: string | null;
          changed_at: string;
          last_period_end: number | null;
          evaluated_at: number | null;
        }
      | undefined;
    if (!r) return undefined;
    return {
      value: r.state,
      reason: r.reason,
      reasonData: r.reason_data ?? undefined,
      timestamp: r.changed_at,
      lastPeriodEnd: r.last_period_end,
      evaluatedAt: r.evaluated_at === null ? null : new Date(r.evaluated_at).toISOString(),
    };
  }

  /** Creates the alarm's row in its initial state if it has none. */
  ensure(name: string, initial: AlarmStateValue): StoredAlarmState {
    this.db
      .prepare(
        `INSERT INTO log_alarm_states (name, state, reason, reason_data, changed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (name) DO NOTHING`,
      )
      .run(name, initial.value, initial.reason, initial.reasonData ?? null, initial.timestamp);
    return this.state(name)!;
  }

  /** Records an evaluation that kept the state. */
  evaluated(name: string, periodEnd: number, at: number): void {
    this.db
      .prepare('UPDATE log_alarm_states SET last_period_end = ?, evaluated_at = ? WHERE name = ?')
      .run(periodEnd, at, name);
  }

  /** The new state and its history row (with the event for the hub), in one transaction. Returns the row id. */
  transition(
    name: string,
    from: AlarmState,
    to: AlarmStateValue,
    periodEnd: number,
    at: number,
    event: IngestedEvent,
  ): string {
    let id = 0;
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE log_alarm_states SET state = ?, reason = ?, reason_data = ?, changed_at = ?, last_period_end = ?, evaluated_at = ?
           WHERE name = ?`,
        )
        .run(to.value, to.reason, to.reasonData ?? null, to.timestamp, periodEnd, at, name);
      id = Number(
        this.db
          .prepare(
            'INSERT INTO log_alarm_history (alarm, at, old_state, new_state, reason, event) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(name, at, from, to.value, to.reason, JSON.stringify(event)).lastInsertRowid,
      );
    })();
    return String(id);
  }

  /** Transitions whose event is not yet on the queue, oldest first. */
  unqueued(limit = 100): { id: string; event: IngestedEvent }[] {
    const rows = this.db
      .prepare('SELECT id, event FROM log_alarm_history WHERE queued_at IS NULL ORDER BY id LIMIT ?')
      .all(limit) as { id: number; event: string }[];
    return rows.map((r) => ({ id: String(r.id), event: JSON.parse(r.event) as IngestedEvent }));
  }

  markQueued(id: string, at: number): void {
    this.db.prepare('UPDATE log_alarm_history SET queued_at = ? WHERE id = ?').run(at, Number(id));
  }

  history(name: string | undefined, page: PageRequest): Page<AlarmHistoryItem> {
    const limit = pageLimit(page.limit, 20, 200);
    const after = decodeCursor(page.cursor);
    const rows = this.db
      .prepare(
        `SELECT * FROM log_alarm_history WHERE (? IS NULL OR alarm = ?) AND (? IS NULL OR id < ?)
         ORDER BY id DESC LIMIT ?`,
      )
      .all(name ?? null, name ?? null, after?.[0] ?? null, after?.[0] ?? null, limit + 1) as HistoryRow[];
    const items = rows.slice(0, limit).map((r) => ({
      id: String(r.id),
      alarmName: r.alarm,
      timestamp: new Date(r.at).toISOString(),
      oldState: r.old_state,
      newState: r.new_state,
      reason: r.reason,
      eventId: (JSON.parse(r.event) as IngestedEvent).eventId,
      queued: r.queued_at !== null,
    }));
    return { items, ...(rows.length > limit ? { cursor: encodeCursor([rows[limit - 1]!.id]) } : {}) };
  }

  /** Deletes queued history older than the retention. */
  sweep(olderThanMs: number): number {
    return this.db.prepare('DELETE FROM log_alarm_history WHERE at < ? AND queued_at IS NOT NULL').run(olderThanMs)
      .changes;
  }
}
