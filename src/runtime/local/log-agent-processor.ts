/**
 * The log agent's data path: log events of a group → its metric filters → pending aggregates, and the
 * commit that stores those aggregates together with the file offsets and counters they came from.
 */
import type { Clock } from '../../core/clock.ts';
import { MetricAggregator, MetricFilterPlan } from '../../core/logs/metrics/index.ts';
import type { MetricFilterConfig } from '../../config/logs.ts';
import { countLines, scanBuffer } from '../../adapters/local/logs/buffer-scan.ts';
import type { FileOffset, SqliteMetricStore } from '../../adapters/local/logs/metric-store.ts';

/** Commit at least this often, and whenever this many bytes are pending (bounded replay after a crash). */
const COMMIT_INTERVAL_MS = 1000;
const COMMIT_BYTES = 64 * 1024 * 1024;

export class LogProcessor {
  private readonly plans = new Map<string, MetricFilterPlan[]>();
  private readonly agg = new MetricAggregator();
  private readonly offsets = new Map<string, FileOffset>();
  private counters: Record<string, number> = {};
  private pendingBytes = 0;
  private lastCommit: number;
  /** Since the agent started (the stored counters hold the totals). */
  readonly session = { events: 0, bytes: 0, commits: 0 };

  constructor(
    filters: readonly MetricFilterConfig[],
    private readonly store: SqliteMetricStore,
    private readonly clock: Clock,
  ) {
    for (const f of filters) {
      const list = this.plans.get(f.logGroup) ?? [];
      list.push(new MetricFilterPlan(f));
      this.plans.set(f.logGroup, list);
    }
    this.lastCommit = clock.now().getTime();
  }

  count(name: string, n = 1): void {
    this.counters[name] = (this.counters[name] ?? 0) + n;
  }

  /** Complete lines of a file (in parts) read at `readAt`, and the offset to commit with their metrics. */
  fileLines(logGroup: string, parts: readonly Buffer[], readAt: number, offset: FileOffset | undefined): void {
    const plans = this.plans.get(logGroup) ?? [];
    for (const buf of parts) {
      if (buf.length === 0) continue;
      this.pendingBytes += buf.length;
      this.session.bytes += buf.length;
      this.count('bytes_read', buf.length);
      let text: string | undefined;
      let lines: number | undefined;
      // Filters without an anchor need the text decoded; once it is, the others use it too.
      for (const p of plans) if (!p.anchor) text ??= buf.toString('utf8');
      for (const p of plans) {
        const matched = text !== undefined ? p.applyText(text, readAt, this.agg) : scanBuffer(buf, p, readAt, this.agg);
        if (p.hasDefault) p.addDefaults((lines ??= countLines(buf)) - matched, readAt, this.agg);
      }
    }
    if (offset) this.offsets.set(offset.fileKey, offset);
    this.commitIfDue();
  }

  /** Whole events (HTTP, syslog): each message is one event, whatever it contains. */
  events(logGroup: string, events: readonly { message: string; timestamp: number }[]): void {
    const plans = this.plans.get(logGroup) ?? [];
    for (const e of events) {
      this.session.events++;
      for (const p of plans) p.applyEvent(e.message, e.timestamp, this.agg);
    }
  }

  commitIfDue(): void {
    const now = this.clock.now().getTime();
    if (this.pendingBytes >= COMMIT_BYTES || now - this.lastCommit >= COMMIT_INTERVAL_MS) this.commit();
  }

  /** Stores everything pending in one transaction. */
  commit(): void {
    const now = this.clock.now().getTime();
    this.lastCommit = now;
    if (this.agg.size === 0 && this.offsets.size === 0 && Object.keys(this.counters).length === 0) return;
    const points = this.agg.drain();
    const offsets = [...this.offsets.values()];
    const counters = this.counters;
    this.offsets.clear();
    this.counters = {};
    try {
      this.store.commit({ points, offsets, counters }, now);
    } catch (e) {
      // Nothing was stored: keep it all pending (newer offsets of the same files win) and let the caller report.
      this.agg.restore(points);
      for (const o of offsets) if (!this.offsets.has(o.fileKey)) this.offsets.set(o.fileKey, o);
      for (const [k, v] of Object.entries(counters)) this.count(k, v);
      throw e;
    }
    this.pendingBytes = 0;
    this.session.commits++;
  }
}
