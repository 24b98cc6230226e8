/** Backup runs, chunks, cursors and schedule state in the embedded database (migration 500). */
import type { BackupRunRepository, ChunkSpec, CursorPosition, StoredObjectRef } from '../../../ports/backups.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import type { BackupRun, ChunkRecord, CommittedCursor, RunPhase } from '../../../core/backups/model.ts';
import type { Db } from '../sqlite/db.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../sqlite/cursor.ts';
import { type ChunkRow, type RunRow, SELECT, json, toChunk, toRun } from './run-rows.ts';

export class SqliteBackupRunRepository implements BackupRunRepository {
  constructor(private readonly db: Db) {}

  async create(run: BackupRun, chunks: ChunkSpec[]): Promise<void> {
    const insertRun = this.db.prepare(
      `INSERT INTO backup_runs (id, job, mode, kind, status, phase, trigger, scheduled_for, started_at, plan, cursor_from, chunks_total)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertChunk = this.db.prepare(
      `INSERT INTO backup_chunks (run_id, idx, label, params, status) VALUES (?, ?, ?, ?, 'pending')`,
    );
    this.db.transaction(() => {
      insertRun.run(
        run.id,
        run.job,
        run.mode,
        run.kind,
        run.status,
        run.phase,
        run.trigger,
        run.scheduledFor?.getTime() ?? null,
        run.startedAt.getTime(),
        JSON.stringify(run.plan),
        json(run.cursorFrom),
        chunks.length,
      );
      for (const c of chunks) insertChunk.run(run.id, c.index, c.label, JSON.stringify(c.params));
    })();
  }

  async get(id: string): Promise<BackupRun | null> {
    const row = this.db.prepare(`${SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
    return row ? toRun(row) : null;
  }

  async unfinished(job: string): Promise<BackupRun | null> {
    const row = this.db
      .prepare(`${SELECT} WHERE r.job = ? AND r.status = 'running' ORDER BY r.started_at LIMIT 1`)
      .get(job);
    return row ? toRun(row as RunRow) : null;
  }

  async list(job: string | null, page: PageRequest): Promise<Page<BackupRun>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = this.db
      .prepare(
        `${SELECT} WHERE (@job IS NULL OR r.job = @job)
           AND (@c IS NULL OR r.started_at < @c OR (r.started_at = @c AND r.id < @id))
         ORDER BY r.started_at DESC, r.id DESC LIMIT @limit`,
      )
      .all({ job, c: after?.[0] ?? null, id: after?.[1] ?? null, limit: limit + 1 }) as RunRow[];
    const items = rows.slice(0, limit).map(toRun);
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, cursor: encodeCursor([last.started_at, last.id]) } : { items };
  }

  async succeeded(job: string): Promise<BackupRun[]> {
    const rows = this.db
      .prepare(
        `${SELECT} WHERE r.job = ? AND r.status = 'succeeded' AND r.pruned_at IS NULL ORDER BY r.finished_at, r.id`,
      )
      .all(job) as RunRow[];
    return rows.map(toRun);
  }

  async stale(job: string, before: Date): Promise<BackupRun[]> {
    const rows = this.db
      .prepare(
        `${SELECT} WHERE r.job = ? AND (r.status = 'failed' OR r.pruned_at IS NOT NULL) AND r.finished_at < ? ORDER BY r.finished_at`,
      )
      .all(job, before.getTime()) as RunRow[];
    return rows.map(toRun);
  }

  async chunks(runId: string): Promise<ChunkRecord[]> {
    const rows = this.db.prepare('SELECT * FROM backup_chunks WHERE run_id = ? ORDER BY idx').all(runId);
    return (rows as ChunkRow[]).map(toChunk);
  }

  async chunkDone(runId: string, index: number, s: StoredObjectRef, maxCursor: CursorPosition | null): Promise<void> {
    this.db.transaction(() => {
      const changed = this.db
        .prepare(
          `UPDATE backup_chunks SET status = 'done', attempts = attempts + 1, object_key = ?, rows = ?, bytes = ?, sha256 = ?,
             max_cursor = ?, error = NULL, finished_at = ? WHERE run_id = ? AND idx = ? AND status = 'pending'`,
        )
        .run(s.key, s.rows, s.bytes, s.sha256, json(maxCursor), Date.now(), runId, index).changes;
      if (changed === 1)
        this.db
          .prepare('UPDATE backup_runs SET rows = rows + ?, bytes = bytes + ? WHERE id = ?')
          .run(s.rows, s.bytes, runId);
    })();
  }

  async chunkAttemptFailed(runId: string, index: number, error: string): Promise<void> {
    this.db
      .prepare('UPDATE backup_chunks SET attempts = attempts + 1, error = ? WHERE run_id = ? AND idx = ?')
      .run(error, runId, index);
  }

  async setPhase(
    runId: string,
    phase: RunPhase,
    fields: { hotRows?: number; manifestKey?: string } = {},
  ): Promise<void> {
    this.db
      .prepare(
        'UPDATE backup_runs SET phase = ?, hot_rows = coalesce(?, hot_rows), manifest_key = coalesce(?, manifest_key) WHERE id = ?',
      )
      .run(phase, fields.hotRows ?? null, fields.manifestKey ?? null, runId);
  }

  async succeed(runId: string, finishedAt: Date, cursor: CommittedCursor | null): Promise<void> {
    this.db.transaction(() => {
      this.db
        .prepare(
          `UPDATE backup_runs SET status = 'succeeded', phase = 'done', finished_at = ?, cursor_to = ?, error = NULL WHERE id = ?`,
        )
        .run(finishedAt.getTime(), json(cursor?.position ?? null), runId);
      if (cursor)
        this.db
          .prepare(
            `INSERT INTO backup_cursors (job, column_name, position, run_id, updated_at) SELECT job, ?, ?, id, ? FROM backup_runs WHERE id = ?
             ON CONFLICT (job) DO UPDATE SET column_name = excluded.column_name, position = excluded.position, run_id = excluded.run_id, updated_at = excluded.updated_at`,
          )
          .run(cursor.column, JSON.stringify(cursor.position), finishedAt.getTime(), runId);
    })();
  }

  async fail(runId: string, error: string, finishedAt: Date): Promise<void> {
    this.db
      .prepare(
        `UPDATE backup_runs SET status = 'failed', phase = 'failed', error = ?, finished_at = ? WHERE id = ? AND status = 'running'`,
      )
      .run(error.slice(0, 2000), finishedAt.getTime(), runId);
  }

  async cursor(job: string): Promise<CommittedCursor | null> {
    const row = this.db.prepare('SELECT column_name, position, run_id FROM backup_cursors WHERE job = ?').get(job) as
      { column_name: string; position: string; run_id: string } | undefined;
    return row
      ? { column: row.column_name, position: JSON.parse(row.position) as CursorPosition, runId: row.run_id }
      : null;
  }

  async recordVerify(runId: string, ok: boolean, error: string | null, at: Date): Promise<void> {
    this.db
      .prepare('UPDATE backup_runs SET verified_at = ?, verify_ok = ?, verify_error = ? WHERE id = ?')
      .run(at.getTime(), ok ? 1 : 0, error?.slice(0, 2000) ?? null, runId);
  }

  async markPruned(runId: string, at: Date): Promise<void> {
    this.db.prepare('UPDATE backup_runs SET pruned_at = ? WHERE id = ?').run(at.getTime(), runId);
  }

  async remove(runId: string): Promise<void> {
    this.db.prepare('DELETE FROM backup_runs WHERE id = ?').run(runId);
  }

  async lastFire(job: string, schedule: string): Promise<Date | null> {
    const ms = this.db
      .prepare('SELECT last_fire_at FROM backup_schedule_state WHERE job = ? AND schedule = ?')
      .pluck()
      .get(job, schedule);
    return typeof ms === 'number' ? new Date(ms) : null;
  }

  async setLastFire(job: string, schedule: string, at: Date): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO backup_schedule_state (job, schedule, last_fire_at) VALUES (?, ?, ?)
         ON CONFLICT (job, schedule) DO UPDATE SET last_fire_at = excluded.last_fire_at`,
      )
      .run(job, schedule, at.getTime());
  }
}
