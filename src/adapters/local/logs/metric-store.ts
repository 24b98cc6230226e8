/**
 * The log agent's metrics in SQLite: series, and points at 10 s, 60 s and 1 h resolution (each point
 * holds count, sum, min, max and a percentile sketch, so any statistic of any period that is a multiple
 * of a resolution is exact to merge). A commit writes the points together with the file offsets and
 * counters they came from, in one transaction: a restart neither counts a line twice nor skips one.
 */
import {
  type MetricSeries,
  type PendingPoint,
  StatSet,
  bucketStart,
  seriesKey,
} from '../../../core/logs/metrics/index.ts';
import { invalid } from '../../../core/errors.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from '../sqlite/cursor.ts';
import type { Db } from '../sqlite/db.ts';

export const RESOLUTIONS = [10, 60, 3600] as const;

export interface FileOffset {
  fileKey: string;
  path: string;
  logGroup: string;
  offset: number;
  skipping: boolean;
  headLen: number;
  headHash: string;
}

export interface MetricSummary extends MetricSeries {
  unit: string | null;
  lastAt: string;
}

export interface Datapoint {
  timestamp: string;
  value: number;
  sampleCount: number;
}

export interface RetentionSeconds {
  highResolution: number;
  standard: number;
  hourly: number;
}

interface PointRow {
  count: number;
  sum: number;
  min: number;
  max: number;
  sketch: string;
}

export class SqliteMetricStore {
  private readonly st;

  constructor(
    readonly db: Db,
    private readonly retention: RetentionSeconds = { highResolution: 86400, standard: 15 * 86400, hourly: 455 * 86400 },
  ) {
    this.st = {
      series: db.prepare('SELECT id FROM log_metric_series WHERE series_key = ?').pluck(),
      addSeries: db.prepare(
        'INSERT INTO log_metric_series (series_key, namespace, name, dimensions, unit, last_at) VALUES (?, ?, ?, ?, ?, ?)',
      ),
      touchSeries: db.prepare(
        'UPDATE log_metric_series SET last_at = max(last_at, ?), unit = coalesce(?, unit) WHERE id = ?',
      ),
      point: db.prepare(
        'SELECT count, sum, min, max, sketch FROM log_metric_points WHERE series_id = ? AND resolution = ? AND bucket = ?',
      ),
      putPoint: db.prepare(
        `INSERT INTO log_metric_points (series_id, resolution, bucket, count, sum, min, max, sketch)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (series_id, resolution, bucket) DO UPDATE SET
           count = excluded.count, sum = excluded.sum, min = excluded.min, max = excluded.max, sketch = excluded.sketch`,
      ),
      putOffset: db.prepare(
        `INSERT INTO log_file_offsets (file_key, path, log_group, offset, skipping, head_len, head_hash, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (file_key) DO UPDATE SET path = excluded.path, log_group = excluded.log_group,
           offset = excluded.offset, skipping = excluded.skipping, head_len = excluded.head_len,
           head_hash = excluded.head_hash, updated_at = excluded.updated_at`,
      ),
      counter: db.prepare(
        'INSERT INTO log_agent_counters (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = value + excluded.value',
      ),
    };
  }

  /** Points, offsets and counters in one transaction (fsync'd: synchronous=FULL). */
  commit(
    batch: {
      points: readonly PendingPoint[];
      offsets?: readonly FileOffset[];
      counters?: Readonly<Record<string, number>>;
    },
    now: number,
  ): void {
    this.db.transaction(() => {
      const ids = new Map<string, number>();
      for (const p of batch.points) {
        let id = ids.get(p.key);
        if (id === undefined) {
          id = this.seriesId(p.key, p.series, p.unit, p.bucket);
          ids.set(p.key, id);
        }
        this.st.touchSeries.run(p.bucket, p.unit ?? null, id);
        for (const res of RESOLUTIONS) {
          const bucket = bucketStart(p.bucket, res);
          const row = this.st.point.get(id, res, bucket) as PointRow | undefined;
          const stats = row ? StatSet.fromRow(row) : new StatSet();
          stats.merge(p.stats);
          const r = stats.toRow();
          this.st.putPoint.run(id, res, bucket, r.count, r.sum, r.min, r.max, r.sketch);
        }
      }
      for (const o of batch.offsets ?? []) {
        this.st.putOffset.run(o.fileKey, o.path, o.logGroup, o.offset, o.skipping ? 1 : 0, o.headLen, o.headHash, now);
      }
      for (const [name, value] of Object.entries(batch.counters ?? {})) if (value) this.st.counter.run(name, value);
    })();
  }

  offset(fileKey: string): FileOffset | undefined {
    const r = this.db
      .prepare(
        'SELECT file_key, path, log_group, offset, skipping, head_len, head_hash FROM log_file_offsets WHERE file_key = ?',
      )
      .get(fileKey) as Record<string, unknown> | undefined;
    return r ? toOffset(r) : undefined;
  }

  /** Whether the agent has ever read a file at this path (so a new file there is a rotation, read from its start). */
  knowsPath(path: string): boolean {
    return this.db.prepare('SELECT 1 FROM log_file_offsets WHERE path = ? LIMIT 1').get(path) !== undefined;
  }

  forgetOffset(fileKey: string): void {
    this.db.prepare('DELETE FROM log_file_offsets WHERE file_key = ?').run(fileKey);
  }

  counters(): Record<string, number> {
    const rows = this.db.prepare('SELECT name, value FROM log_agent_counters ORDER BY name').all() as {
      name: string;
      value: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  listMetrics(filter: { namespace?: string; name?: string }, page: PageRequest): Page<MetricSummary> {
    const limit = pageLimit(page.limit, 100, 500);
    const after = decodeCursor(page.cursor);
    const where: string[] = [];
    const args: unknown[] = [];
    if (filter.namespace) {
      where.push('namespace = ?');
      args.push(filter.namespace);
    }
    if (filter.name) {
      where.push('name = ?');
      args.push(filter.name);
    }
    if (after) {
      where.push('id > ?');
      args.push(after[0]);
    }
    const rows = this.db
      .prepare(
        `SELECT id, namespace, name, dimensions, unit, last_at FROM log_metric_series
         ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY id LIMIT ?`,
      )
      .all(...args, limit + 1) as {
      id: number;
      namespace: string;
      name: string;
      dimensions: string;
      unit: string | null;
      last_at: number;
    }[];
    const items = rows.slice(0, limit).map((r) => ({
      namespace: r.namespace,
      name: r.name,
      dimensions: JSON.parse(r.dimensions) as Record<string, string>,
      unit: r.unit,
      lastAt: new Date(r.last_at).toISOString(),
    }));
    return { items, ...(rows.length > limit ? { cursor: encodeCursor([rows[limit - 1]!.id]) } : {}) };
  }

  /**
   * One statistic per period over [from, to): periods without data are left out, as GetMetricStatistics
   * does. The resolution is the finest that divides the period and still holds `from`.
   */
  statistics(
    series: MetricSeries,
    stat: string,
    periodSeconds: number,
    fromMs: number,
    toMs: number,
    nowMs: number,
  ): (Datapoint & { bucket: number })[] {
    const id = this.st.series.get(seriesKey(series)) as number | undefined;
    if (id === undefined) return [];
    const res = this.resolutionFor(periodSeconds, fromMs, nowMs);
    const start = bucketStart(fromMs, periodSeconds);
    const rows = this.db
      .prepare(
        `SELECT bucket, count, sum, min, max, sketch FROM log_metric_points
         WHERE series_id = ? AND resolution = ? AND bucket >= ? AND bucket < ? ORDER BY bucket`,
      )
      .all(id, res, start, toMs) as (PointRow & { bucket: number })[];
    const byPeriod = new Map<number, StatSet>();
    for (const r of rows) {
      const b = bucketStart(r.bucket, periodSeconds);
      const s = byPeriod.get(b);
      if (s) s.merge(StatSet.fromRow(r));
      else byPeriod.set(b, StatSet.fromRow(r));
    }
    return [...byPeriod].flatMap(([bucket, s]) => {
      const value = s.statistic(stat);
      return value === undefined
        ? []
        : [{ bucket, timestamp: new Date(bucket).toISOString(), value, sampleCount: s.count }];
    });
  }

  resolutionFor(periodSeconds: number, fromMs: number, nowMs: number): number {
    const fits = RESOLUTIONS.filter((r) => periodSeconds % r === 0);
    if (fits.length === 0) throw invalid('CAIRN_INVALID_METRIC_QUERY', 'period must be a multiple of 10 seconds');
    const keep = { 10: this.retention.highResolution, 60: this.retention.standard, 3600: this.retention.hourly };
    return fits.find((r) => fromMs >= nowMs - keep[r] * 1000) ?? fits[fits.length - 1]!;
  }

  /** Deletes points past each resolution's retention; returns how many. */
  sweep(nowMs: number): number {
    const del = this.db.prepare('DELETE FROM log_metric_points WHERE resolution = ? AND bucket < ?');
    const keep = { 10: this.retention.highResolution, 60: this.retention.standard, 3600: this.retention.hourly };
    let n = 0;
    for (const r of RESOLUTIONS) n += del.run(r, nowMs - keep[r] * 1000).changes;
    return n;
  }

  private seriesId(key: string, s: MetricSeries, unit: string | undefined, now: number): number {
    const id = this.st.series.get(key) as number | undefined;
    if (id !== undefined) return id;
    return Number(
      this.st.addSeries.run(key, s.namespace, s.name, JSON.stringify(s.dimensions), unit ?? null, now).lastInsertRowid,
    );
  }
}

function toOffset(r: Record<string, unknown>): FileOffset {
  return {
    fileKey: r.file_key as string,
    path: r.path as string,
    logGroup: r.log_group as string,
    offset: r.offset as number,
    skipping: r.skipping === 1,
    headLen: r.head_len as number,
    headHash: r.head_hash as string,
  };
}
