import { ApiError, request as apiRequest, requestBlob as apiRequestBlob } from './api.ts';
import type {
  ConfigSilence,
  DeadLetter,
  Facets,
  Histogram,
  HubEvent,
  HubEventDetail,
  NewSilence,
  QueueInfo,
  Report,
  ReportDimension,
  Silence,
} from './alerts-types.ts';
import { type EventFilters, filterQuery, timeWindow } from './event-filters.ts';
import type { Page } from './types.ts';

const q = (value: string) => encodeURIComponent(value);

/** A server without the hub answers its routes with CAIRN_ROUTE_NOT_FOUND: say so plainly. */
function hubMissing(e: unknown): unknown {
  if (e instanceof ApiError && e.code === 'CAIRN_ROUTE_NOT_FOUND') {
    return new ApiError(e.status, e.code, 'The notification hub is not enabled on this server.');
  }
  return e;
}

async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  try {
    return await apiRequest<T>(method, path, body);
  } catch (e) {
    throw hubMissing(e);
  }
}

async function requestBlob(path: string, accept: string): Promise<Blob> {
  try {
    return await apiRequestBlob(path, accept);
  } catch (e) {
    throw hubMissing(e);
  }
}

function withParams(path: string, params: URLSearchParams): string {
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

function reportParams(year: number, groupBy: ReportDimension[]): URLSearchParams {
  return new URLSearchParams({ year: String(year), groupBy: groupBy.join(',') });
}

/** The notification hub's API, as the Alerts page uses it. */
export const alertsApi = {
  events(filters: EventFilters, now: number, cursor?: string | null) {
    const params = filterQuery(filters, now);
    if (cursor) params.set('cursor', cursor);
    return request<Page<HubEvent>>('GET', withParams('/api/events', params));
  },
  event: (id: string) => request<HubEventDetail>('GET', `/api/events/${q(id)}`),
  histogram(filters: EventFilters, now: number, bucket: 'hour' | 'day') {
    const params = filterQuery(filters, now);
    params.set('bucket', bucket);
    return request<Histogram>('GET', withParams('/api/events/histogram', params));
  },
  queues: () => request<{ items: QueueInfo[] }>('GET', '/api/alerts/queues'),
  deadLetters: (queue: string, cursor?: string | null) =>
    request<Page<DeadLetter>>('GET', `/api/alerts/queues/${q(queue)}/dead${cursor ? `?cursor=${q(cursor)}` : ''}`),
  redrive: (queue: string) => request<{ redriven: number }>('POST', `/api/alerts/queues/${q(queue)}/redrive`, {}),
  /** Runtime silences (origin api), newest first. */
  silences: (cursor?: string | null) =>
    request<Page<Silence>>('GET', `/api/alerts/silences?origin=api${cursor ? `&cursor=${q(cursor)}` : ''}`),
  /** The silences of cairn.yaml, all of them (a handful: one request per 200). */
  async configSilences(): Promise<ConfigSilence[]> {
    const all: ConfigSilence[] = [];
    let cursor: string | undefined;
    do {
      const page = await request<Page<ConfigSilence>>(
        'GET',
        `/api/alerts/silences?origin=config&limit=200${cursor ? `&cursor=${q(cursor)}` : ''}`,
      );
      all.push(...page.items);
      cursor = page.cursor ?? undefined;
    } while (cursor);
    return all;
  },
  createSilence: (silence: NewSilence) => request<Silence>('POST', '/api/alerts/silences', silence),
  expireSilence: (id: string) => request<Silence>('DELETE', `/api/alerts/silences/${q(id)}`),
  report: (year: number, groupBy: ReportDimension[]) =>
    request<Report>('GET', withParams('/api/reports/events', reportParams(year, groupBy))),
  reportCsv: (year: number, groupBy: ReportDimension[]) =>
    requestBlob(withParams('/api/reports/events', reportParams(year, groupBy)), 'text/csv'),
  /** Sources, severities and services (busiest first, with counts) in the filters' time window. */
  facets(filters: EventFilters, now: number) {
    const { from, to } = timeWindow(filters, now);
    const params = new URLSearchParams();
    if (from !== null) params.set('from', new Date(from).toISOString());
    if (to !== null) params.set('to', new Date(to).toISOString());
    return request<Facets>('GET', withParams('/api/events/facets', params));
  },
};
