import { useEffect, useState } from 'preact/hooks';
import { AlarmCard } from '../components/alarm-card.tsx';
import { Alert } from '../components/alert.tsx';
import { MetricChart, metricKey } from '../components/metric-chart.tsx';
import { PatternTester } from '../components/pattern-tester.tsx';
import { messageOf } from '../lib/api.ts';
import { metricsApi } from '../lib/metrics-api.ts';
import { type AlarmItem, type MetricSummary, sameSeries } from '../lib/metrics-types.ts';
import { useNow, useTicker } from '../lib/use-ticker.ts';

const POLL_MS = 10_000;

/** The log agent's metrics (a chart each, with alarm thresholds), its alarms, and a filter pattern tester. */
export function MetricsPage() {
  const tick = useTicker(POLL_MS);
  const now = useNow(30_000);
  const [metrics, setMetrics] = useState<MetricSummary[] | null>(null);
  const [alarms, setAlarms] = useState<AlarmItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    Promise.all([metricsApi.list(), metricsApi.alarms()])
      .then(([m, a]) => {
        if (!live) return;
        setMetrics(m.items);
        setAlarms(a.items);
        setError(null);
      })
      .catch((e: unknown) => {
        if (live) setError(messageOf(e));
      });
    return () => {
      live = false;
    };
  }, [tick]);

  return (
    <main id="main" class="page metrics-page" data-testid="metrics-page">
      <div class="page-head">
        <h1>Metrics</h1>
      </div>
      {error && <Alert testId="metrics-error">{error}</Alert>}
      <section aria-labelledby="alarms-heading" class="metrics-section">
        <h2 id="alarms-heading">Alarms</h2>
        {alarms === null && !error && <p role="status">Loading…</p>}
        {alarms?.length === 0 && <p class="hint">No alarms under logs.alarms in cairn.yaml.</p>}
        {alarms && alarms.length > 0 && (
          <ul class="alarm-list" data-testid="alarm-list">
            {alarms.map((a) => (
              <AlarmCard key={a.AlarmName} alarm={a} now={now} />
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="charts-heading" class="metrics-section">
        <h2 id="charts-heading">Metrics, last hour</h2>
        {metrics === null && !error && <p role="status">Loading…</p>}
        {metrics?.length === 0 && (
          <p class="hint" data-testid="metrics-empty">
            No metrics yet: they appear when a metric filter first matches a log line.
          </p>
        )}
        {metrics?.map((m) => (
          <MetricChart
            key={metricKey(m)}
            metric={m}
            alarms={(alarms ?? []).filter((a) => sameSeries(m, a))}
            tick={tick}
          />
        ))}
      </section>
      <PatternTester />
    </main>
  );
}
