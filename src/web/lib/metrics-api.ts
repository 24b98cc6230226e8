import { request } from './api.ts';
import type { AlarmItem, FilterMatch, MetricData, MetricSummary } from './metrics-types.ts';
import type { Page } from './types.ts';

const q = (value: string) => encodeURIComponent(value);

export const metricsApi = {
  list: () => request<Page<MetricSummary>>('GET', '/api/metrics?limit=500'),
  data: (
    m: { namespace: string; name: string; dimensions: Record<string, string> },
    stat: string,
    period: number,
    from: number,
    to: number,
  ) =>
    request<MetricData>(
      'GET',
      `/api/metrics/data?namespace=${q(m.namespace)}&name=${q(m.name)}&dimensions=${q(JSON.stringify(m.dimensions))}` +
        `&stat=${q(stat)}&period=${period}&from=${q(new Date(from).toISOString())}&to=${q(new Date(to).toISOString())}`,
    ),
  alarms: () => request<{ items: AlarmItem[] }>('GET', '/api/alarms'),
  testPattern: (filterPattern: string, logEventMessages: string[]) =>
    request<{ matches: FilterMatch[] }>('POST', '/api/logs/test-metric-filter', { filterPattern, logEventMessages }),
};
