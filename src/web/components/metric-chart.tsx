import { useEffect, useRef, useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';
import { axisTicks } from '../lib/histogram.ts';
import { metricsApi } from '../lib/metrics-api.ts';
import { type AlarmItem, type MetricData, type MetricSummary, COMPARISON_SIGNS } from '../lib/metrics-types.ts';
import { useWidth } from '../lib/use-width.ts';
import { Alert } from './alert.tsx';

const HEIGHT = 180;
const MARGIN = { top: 14, right: 12, bottom: 26, left: 44 };
const HOUR = 3_600_000;
export const STATISTICS = ['Sum', 'Average', 'Minimum', 'Maximum', 'SampleCount', 'p50', 'p90', 'p99'];

const timeLabel = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const longTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

const fmt = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(4).replace(/\.?0+$/, ''));

export const metricKey = (m: { namespace: string; name: string; dimensions: Record<string, string> }) =>
  `${m.namespace}/${m.name}${Object.keys(m.dimensions).length ? ' ' + JSON.stringify(m.dimensions) : ''}`;

function describe(data: MetricData, alarms: AlarmItem[]): string {
  const n = data.datapoints.length;
  const parts = [
    n === 0
      ? `No datapoints in the last hour.`
      : `${n} datapoint${n === 1 ? '' : 's'} in the last hour; highest ${fmt(Math.max(...data.datapoints.map((d) => d.value)))}.`,
  ];
  for (const a of alarms)
    parts.push(`Alarm ${a.AlarmName} threshold ${COMPARISON_SIGNS[a.ComparisonOperator] ?? ''} ${fmt(a.Threshold)}.`);
  return parts.join(' ');
}

/** One metric's chosen statistic over the last hour as inline SVG bars, with each alarm's threshold dashed. */
export function MetricChart({ metric, alarms, tick }: { metric: MetricSummary; alarms: AlarmItem[]; tick: number }) {
  const first = alarms[0];
  const [stat, setStat] = useState(first?.statistic ?? 'Sum');
  const period = first?.Period ?? 60;
  const [data, setData] = useState<MetricData | null>(null);
  const [error, setError] = useState<string | null>(null);
  const { ref, width } = useWidth(720);
  const generation = useRef(0);
  const key = metricKey(metric);

  useEffect(() => {
    const mine = ++generation.current;
    const p = period * 1000;
    const to = Math.floor(Date.now() / p) * p + p;
    metricsApi
      .data(metric, stat, period, to - HOUR, to)
      .then((res) => {
        if (mine !== generation.current) return;
        setData(res);
        setError(null);
      })
      .catch((e: unknown) => {
        if (mine === generation.current) setError(messageOf(e));
      });
  }, [key, stat, period, tick]);

  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const from = data ? Date.parse(data.from) : 0;
  const to = data ? Date.parse(data.to) : 1;
  const values = data?.datapoints.map((d) => d.value) ?? [];
  const ticks = axisTicks(Math.max(0, ...values, ...alarms.map((a) => a.Threshold)));
  const top = ticks[ticks.length - 1] ?? 1;
  const y = (v: number) => MARGIN.top + plotH - (Math.max(0, v) / top) * plotH;
  const x = (t: number) => MARGIN.left + ((t - from) / (to - from)) * plotW;
  const slot = data ? (plotW * data.period * 1000) / (to - from) : 1;
  const barW = Math.max(2, slot * 0.8);
  const labelStep = 10 * 60_000;
  const labels: number[] = [];
  for (let t = Math.ceil(from / labelStep) * labelStep; t <= to; t += labelStep) labels.push(t);
  const headingId = `metric-${key.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const title = `${metric.namespace} / ${metric.name} — ${stat} per ${period} s, last hour`;

  return (
    <section
      class="card chart-card metric-card"
      aria-labelledby={headingId}
      data-testid="metric-chart"
      data-metric={key}
    >
      <div class="chart-head">
        <h2 id={headingId}>
          <span class="metric-namespace">{metric.namespace} /</span> {metric.name}
          {Object.entries(metric.dimensions).map(([k, v]) => (
            <span key={k} class="metric-dimension">
              {k}={v}
            </span>
          ))}
        </h2>
        <label class="inline-field">
          <span>Statistic</span>
          <select value={stat} onChange={(e) => setStat(e.currentTarget.value)} data-testid="metric-stat-select">
            {[...new Set([stat, ...STATISTICS])].map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
      </div>
      {error && <Alert testId="metric-chart-error">{error}</Alert>}
      <div class="chart-frame metric-frame" ref={ref}>
        {data && (
          <svg
            class="chart"
            width={width}
            height={HEIGHT}
            viewBox={`0 0 ${width} ${HEIGHT}`}
            role="img"
            aria-labelledby={`${headingId}-title ${headingId}-desc`}
            data-testid="metric-svg"
          >
            <title id={`${headingId}-title`}>{title}</title>
            <desc id={`${headingId}-desc`} data-testid="metric-desc">
              {describe(data, alarms)}
            </desc>
            {ticks.map((t) => (
              <g key={t}>
                <line class="chart-grid" x1={MARGIN.left} x2={width - MARGIN.right} y1={y(t)} y2={y(t)} />
                <text class="chart-axis" x={MARGIN.left - 6} y={y(t)} dy="0.32em" text-anchor="end">
                  {fmt(t)}
                </text>
              </g>
            ))}
            {labels.map((t) => (
              <text key={t} class="chart-axis" x={x(t)} y={HEIGHT - 8} text-anchor="middle">
                {timeLabel.format(t)}
              </text>
            ))}
            {data.datapoints.map((d) => {
              const t = Date.parse(d.timestamp);
              return (
                <rect
                  key={d.timestamp}
                  class="bar metric-bar"
                  x={x(t) + (slot - barW) / 2}
                  width={barW}
                  y={y(d.value)}
                  height={Math.max(1, y(0) - y(d.value))}
                  data-testid="metric-bar"
                  data-value={d.value}
                >
                  <title>{`${longTime.format(t)}: ${stat} ${fmt(d.value)} (${d.sampleCount} samples)`}</title>
                </rect>
              );
            })}
            <line
              class="chart-baseline"
              x1={MARGIN.left}
              x2={width - MARGIN.right}
              y1={MARGIN.top + plotH}
              y2={MARGIN.top + plotH}
            />
            {alarms.map((a) => (
              <g key={a.AlarmName} data-testid="metric-threshold" data-alarm={a.AlarmName} data-threshold={a.Threshold}>
                <line
                  class={`threshold-line threshold-${a.state?.value ?? 'INSUFFICIENT_DATA'}`}
                  x1={MARGIN.left}
                  x2={width - MARGIN.right}
                  y1={y(a.Threshold)}
                  y2={y(a.Threshold)}
                />
                <text
                  class="threshold-label"
                  x={MARGIN.left + 6}
                  y={y(a.Threshold) - 5}
                  text-anchor="start"
                  data-testid="metric-threshold-label"
                >
                  {`${a.AlarmName}: ${a.statistic} ${COMPARISON_SIGNS[a.ComparisonOperator] ?? ''} ${fmt(a.Threshold)}`}
                </text>
              </g>
            ))}
          </svg>
        )}
        {!data && !error && (
          <p class="hint chart-loading" role="status">
            Loading chart…
          </p>
        )}
      </div>
    </section>
  );
}
