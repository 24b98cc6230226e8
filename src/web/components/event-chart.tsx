import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import { SEVERITIES, type HistogramItem, type Severity } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';
import { type ChartBucket, type EventFilters, filtersKey, timeWindow } from '../lib/event-filters.ts';
import { pluralize } from '../lib/format.ts';
import { type Bar, type BucketKind, axisTicks, buildBars, totalsBySeverity } from '../lib/histogram.ts';
import { useWidth } from '../lib/use-width.ts';
import { Alert } from './alert.tsx';

const HEIGHT = 200;
const MARGIN = { top: 12, right: 8, bottom: 26, left: 40 };
/** Stacked from the bottom: the most severe nearest the axis. */
const STACK: Severity[] = ['critical', 'error', 'warning', 'info'];
const NAMES: Record<Severity, string> = { critical: 'Critical', error: 'Error', warning: 'Warning', info: 'Info' };

/** Hour buckets for windows up to three days, days beyond (and for all of history). */
export function autoBucket(filters: EventFilters, now: number): BucketKind {
  const { from, to } = timeWindow(filters, now);
  if (from === null) return 'day';
  return (to ?? now) - from <= 3 * 86_400_000 ? 'hour' : 'day';
}

const hourLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const hourDayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit' });
const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
const longHour = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const longDay = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeZone: 'UTC' });

function labelOf(bar: Bar, kind: BucketKind, multiDay: boolean): string {
  if (kind === 'day') return dayLabel.format(bar.start);
  return (multiDay ? hourDayLabel : hourLabel).format(bar.start);
}

const longLabel = (bar: Bar, kind: BucketKind) =>
  kind === 'day' ? `${longDay.format(bar.start)} (UTC day)` : `${longHour.format(bar.start)} hour`;

function describe(bars: Bar[], kind: BucketKind): string {
  const totals = totalsBySeverity(bars);
  const total = SEVERITIES.reduce((sum, s) => sum + totals[s], 0);
  if (bars.length === 0) return 'No data.';
  const span = `from ${longLabel(bars[0]!, kind)} to ${longLabel(bars[bars.length - 1]!, kind)}`;
  if (total === 0) return `No events ${span}.`;
  const parts = SEVERITIES.filter((s) => totals[s] > 0).map((s) => `${totals[s]} ${s}`);
  const busiest = bars.reduce((a, b) => (b.total > a.total ? b : a));
  return `${pluralize(total, 'event')} ${span}: ${parts.join(', ')}. Busiest ${kind}: ${longLabel(busiest, kind)} with ${busiest.total}.`;
}

/** Events per hour or day, stacked by severity, drawn as inline SVG (no library, no external assets). */
export function EventChart({
  filters,
  tick,
  onBucket,
}: {
  filters: EventFilters;
  tick: number;
  onBucket: (bucket: ChartBucket) => void;
}) {
  const [data, setData] = useState<{ kind: BucketKind; items: HistogramItem[]; at: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { ref, width } = useWidth(720);
  const latest = useRef(filters);
  latest.current = filters;
  const generation = useRef(0);
  const key = `${filtersKey(filters)}\u0000${filters.bucket}`;

  useEffect(() => {
    const mine = ++generation.current;
    const now = Date.now();
    const f = latest.current;
    const kind = f.bucket === 'auto' ? autoBucket(f, now) : f.bucket;
    alertsApi
      .histogram(f, now, kind)
      .then((res) => {
        if (mine !== generation.current) return;
        setData({ kind: res.bucket, items: res.items, at: now });
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(messageOf(e));
      });
  }, [key, tick]);

  const kind = data?.kind ?? 'hour';
  const { bars, truncated } = data
    ? buildBars(data.items, kind, timeWindow(filters, data.at), data.at)
    : { bars: [] as Bar[], truncated: false };
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const ticks = axisTicks(Math.max(0, ...bars.map((b) => b.total)));
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (v: number) => MARGIN.top + plotH - (v / top) * plotH;
  const slot = bars.length ? plotW / bars.length : plotW;
  const barW = Math.max(1, Math.min(48, slot * 0.72));
  const multiDay = bars.length > 0 && bars[bars.length - 1]!.start - bars[0]!.start >= 86_400_000;
  const labelEvery = Math.max(1, Math.ceil(bars.length / Math.max(2, Math.floor(plotW / 90))));
  const totals = totalsBySeverity(bars);
  const title = `Events per ${kind} by severity`;

  return (
    <section class="card chart-card" aria-labelledby="chart-heading" data-testid="event-chart">
      <div class="chart-head">
        <h2 id="chart-heading">{title}</h2>
        <label class="inline-field">
          <span>Bars</span>
          <select
            value={filters.bucket}
            onChange={(e) => onBucket(e.currentTarget.value as ChartBucket)}
            data-testid="chart-bucket-select"
          >
            <option value="auto">Automatic</option>
            <option value="hour">Per hour</option>
            <option value="day">Per day (UTC)</option>
          </select>
        </label>
      </div>
      {error && <Alert testId="chart-error">{error}</Alert>}
      <div class="chart-frame" ref={ref}>
        {data && (
          <svg
            class="chart"
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            role="img"
            aria-labelledby="chart-title chart-desc"
            data-testid="chart-svg"
          >
            <title id="chart-title">{title}</title>
            <desc id="chart-desc" data-testid="chart-desc">
              {describe(bars, kind)}
            </desc>
            {ticks.map((t) => (
              <g key={t} class="chart-tick">
                <line class="chart-grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(t)} y2={y(t)} />
                <text class="chart-axis" x={MARGIN.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
                  {t}
                </text>
              </g>
            ))}
            {bars.map((bar, i) => {
              const x = MARGIN.left + i * slot + (slot - barW) / 2;
              let base = 0;
              return (
                <g key={bar.bucket} data-testid="chart-column" data-bucket={bar.bucket} data-total={bar.total}>
                  {STACK.filter((s) => bar.counts[s] > 0).map((s) => {
                    const from = base;
                    base += bar.counts[s];
                    return (
                      <rect
                        key={s}
                        class={`bar bar-${s}`}
                        x={x}
                        width={barW}
                        y={y(base)}
                        height={Math.max(1, y(from) - y(base))}
                        data-testid="chart-bar"
                        data-severity={s}
                        data-count={bar.counts[s]}
                      >
                        <title>{`${longLabel(bar, kind)}: ${bar.counts[s]} ${s} (${bar.total} in all)`}</title>
                      </rect>
                    );
                  })}
                  {(bars.length - 1 - i) % labelEvery === 0 && (
                    <text class="chart-axis" x={x + barW / 2} y={HEIGHT - 8} text-anchor="middle">
                      {labelOf(bar, kind, multiDay)}
                    </text>
                  )}
                </g>
              );
            })}
            <line
              class="chart-baseline"
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={MARGIN.top + plotH}
              y2={MARGIN.top + plotH}
            />
          </svg>
        )}
        {!data && !error && (
          <p class="hint chart-loading" role="status">
            Loading chart…
          </p>
        )}
      </div>
      <ul class="chart-legend" aria-label="Severities">
        {SEVERITIES.map((s) => (
          <li key={s} data-testid="chart-legend-item" data-severity={s}>
            <span class={`swatch swatch-${s}`} aria-hidden="true" />
            {NAMES[s]} <span class="legend-count">{totals[s]}</span>
          </li>
        ))}
      </ul>
      {truncated && <p class="hint">Showing the latest buckets only; narrow the time range to see earlier ones.</p>}
    </section>
  );
}
