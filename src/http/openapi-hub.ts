/** OpenAPI schemas of the notification hub, and the paths of webhook ingest, event history and reports. */
import {
  errors,
  isoTime,
  isoTimeOrNull,
  json,
  op,
  PAGE_PARAMS,
  paged,
  params,
  path,
  queryParam,
  ref,
  stringOrNull,
  type Schema,
} from './openapi-helpers.ts';
import { DIMENSIONS, MAX_FACET_VALUES } from '../core/alerts/history/query.ts';
import { SEVERITIES } from '../core/alerts/model.ts';

const SEVERITY = { enum: [...SEVERITIES] };
const STATUS = { enum: ['firing', 'resolved'] };

export const filterPolicy = { type: 'object', description: 'An SNS filter policy over the event attributes' };

/** The filters GET /api/events, the histogram, the facets and the report share. */
const EVENT_FILTERS = [
  queryParam('source', { type: 'string', maxLength: 64 }, 'A source name from alerts.sources, or cairn'),
  queryParam('severity', SEVERITY),
  queryParam('service', { type: 'string', maxLength: 256 }),
  queryParam('status', STATUS),
  queryParam('text', { type: 'string', maxLength: 256 }, 'Case-insensitive substring of title, summary or raw body'),
  queryParam('from', isoTime, 'Inclusive lower bound on receivedAt'),
  queryParam('to', isoTime, 'Exclusive upper bound on receivedAt; after from'),
];

const facetValues = {
  type: 'array',
  items: {
    type: 'object',
    required: ['value', 'count'],
    properties: { value: { type: 'string' }, count: { type: 'integer' } },
  },
};

const apiSilenceProps = {
  id: { type: 'string', examples: ['sil_3kq…'] },
  origin: { const: 'api' },
  match: filterPolicy,
  startsAt: isoTime,
  endsAt: isoTime,
  comment: stringOrNull,
  createdBy: stringOrNull,
  createdAt: isoTime,
};

export const subscriptionProps = {
  name: { type: 'string' },
  endpoint: { type: 'string', format: 'uri' },
  filterPolicy: { type: ['object', 'null'] },
  filterPolicyScope: { enum: ['MessageAttributes', 'MessageBody'] },
  maxReceiveCount: { type: 'integer' },
};

export const hubSchemas: Record<string, Schema> = {
  HubEvent: {
    type: 'object',
    description: 'An event as lists show it (no raw body or payload)',
    properties: {
      eventId: { type: 'string' },
      source: { type: 'string' },
      receivedAt: isoTime,
      enrichedAt: isoTime,
      title: { type: 'string' },
      summary: { type: 'string' },
      severity: SEVERITY,
      status: STATUS,
      service: stringOrNull,
      fingerprint: { type: 'string' },
      labels: { type: 'object', additionalProperties: { type: 'string' } },
      enrichment: { type: 'object' },
      expiresAt: isoTime,
    },
  },
  Delivery: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      eventId: { type: 'string' },
      target: { type: 'string', description: '`channel:<name>` or `subscription:<name>`' },
      status: { enum: ['pending', 'succeeded', 'failed', 'dead'] },
      attempts: { type: 'integer' },
      lastError: stringOrNull,
      lastAttemptAt: isoTimeOrNull,
      deliveredAt: isoTimeOrNull,
    },
  },
  HubEventDetail: {
    allOf: [
      ref('HubEvent'),
      {
        type: 'object',
        properties: {
          rawBody: { type: 'string' },
          payload: { description: 'The raw body parsed as JSON, or null' },
          deliveries: { type: 'array', items: ref('Delivery') },
        },
      },
    ],
  },
  QueueDepth: {
    type: 'object',
    properties: {
      name: { type: 'string', examples: ['events', 'notify', 'channel:ops-slack', 'sub:audit'] },
      visible: { type: 'integer' },
      inFlight: { type: 'integer' },
      delayed: { type: 'integer' },
      dead: { type: 'integer' },
    },
  },
  DeadLetter: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      body: { description: 'The message as it was sent to the queue' },
      receiveCount: { type: 'integer' },
      sentAt: isoTime,
      deadAt: isoTime,
      lastError: stringOrNull,
      eventId: { ...stringOrNull, description: 'The event (a channel notification: its newest event)' },
      eventIds: { type: 'array', items: { type: 'string' }, description: 'Every event id the body names' },
      eventCount: { type: 'integer', description: 'Events the message stands for (a storm may count more)' },
      source: { ...stringOrNull, description: 'From history, or the ingested body on the events queue' },
      title: { ...stringOrNull, description: 'From history; null when not stored (yet) or past retention' },
    },
  },
  ApiSilence: { type: 'object', description: 'A runtime silence (made through this API)', properties: apiSilenceProps },
  ConfigSilence: {
    type: 'object',
    description: 'A silence declared in cairn.yaml (alerts.silences): read-only here',
    properties: {
      id: { type: 'string', examples: ['config:nightly-maintenance'] },
      origin: { const: 'config' },
      name: { type: 'string' },
      match: filterPolicy,
      comment: stringOrNull,
      startsAt: { ...isoTimeOrNull, description: 'A one-off window; null when open or recurring' },
      endsAt: { ...isoTimeOrNull, description: 'A one-off window; null when open or recurring' },
      schedule: {
        type: ['object', 'null'],
        properties: {
          expression: { type: 'string', examples: ['cron(0 2 ? * SUN *)'] },
          durationSeconds: { type: 'integer' },
          timeZone: { type: 'string' },
        },
      },
      nextWindow: {
        type: ['object', 'null'],
        description: 'The window holding now, else the next one; null when it will not hold again',
        properties: { startsAt: isoTimeOrNull, endsAt: isoTimeOrNull },
      },
      state: { enum: ['active', 'scheduled', 'expired'] },
    },
  },
  Subscription: { type: 'object', properties: { ...subscriptionProps, origin: { enum: ['config', 'runtime'] } } },
};

const eventPaths = {
  '/api/events': {
    get: op(
      'Event history, newest first (filters combine)',
      { 200: json(paged(ref('HubEvent'))) },
      {
        ...params(EVENT_FILTERS, PAGE_PARAMS),
      },
    ),
  },
  '/api/events/histogram': {
    get: op(
      "Events per hour or day and severity (the chart); days follow the zone's local midnight, DST included",
      {
        200: json({
          type: 'object',
          properties: {
            bucket: { enum: ['hour', 'day'] },
            timeZone: { type: 'string' },
            items: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  bucket: {
                    type: 'string',
                    description:
                      'Day `2026-03-29`; hour `2026-03-29T10:00Z` in UTC, `2026-03-29T03:00+02:00` in another zone',
                  },
                  start: { ...isoTime, description: 'When the bucket begins' },
                  severity: SEVERITY,
                  count: { type: 'integer' },
                },
              },
            },
          },
        }),
      },
      params(
        EVENT_FILTERS,
        queryParam('bucket', { enum: ['hour', 'day'], default: 'hour' }),
        queryParam('tz', { type: 'string', default: 'UTC' }, 'IANA time zone of the buckets, e.g. Europe/Paris'),
      ),
    ),
  },
  '/api/events/facets': {
    get: op(
      "The filters' values: distinct sources, severities and services with their counts, busiest first",
      {
        200: json({
          type: 'object',
          properties: {
            from: isoTimeOrNull,
            to: isoTimeOrNull,
            limit: { type: 'integer' },
            sources: facetValues,
            severities: facetValues,
            services: facetValues,
            truncated: {
              type: 'object',
              description: 'Whether a dimension has more values than `limit`',
              properties: {
                sources: { type: 'boolean' },
                severities: { type: 'boolean' },
                services: { type: 'boolean' },
              },
            },
          },
        }),
      },
      params(
        EVENT_FILTERS,
        queryParam('limit', { type: 'integer', minimum: 1, maximum: MAX_FACET_VALUES, default: MAX_FACET_VALUES }),
      ),
    ),
  },
  '/api/events/{id}': {
    get: op('One event with its raw body and its deliveries', { 200: json(ref('HubEventDetail')) }, path('id')),
  },
  '/api/reports/events': {
    get: op(
      'Event counts grouped by dimensions (the year-end report); CSV with Accept: text/csv',
      {
        200: {
          description: 'OK',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  groupBy: { type: 'array', items: { enum: DIMENSIONS } },
                  from: isoTimeOrNull,
                  to: isoTimeOrNull,
                  rows: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: { group: { type: 'object' }, count: { type: 'integer' } },
                    },
                  },
                },
              },
            },
            'text/csv': { schema: { type: 'string' } },
          },
        },
      },
      params(
        EVENT_FILTERS,
        queryParam('year', { type: 'string', pattern: '^\\d{4}$' }, 'Sets from and to to that UTC year'),
        queryParam('groupBy', { type: 'string', default: 'month' }, `Comma-separated: ${DIMENSIONS.join(', ')}`),
      ),
    ),
  },
};

const HEADER = (name: string, description: string) =>
  ({ name, in: 'header', schema: { type: 'string' }, description }) as const;

const hookOp = (method: string) =>
  ({
    summary: `Not supported: webhooks are POSTed (${method} answers 405 with Allow: POST)`,
    security: [],
    ...path('source'),
    responses: errors(405),
  }) as const;

const hookPaths = {
  '/hooks/{source}': {
    post: {
      summary: 'Webhook ingest: 202 once the event is durably queued (deduplicated by the sender delivery id)',
      security: [],
      ...params(
        'source',
        HEADER('webhook-id', 'Standard Webhooks: the delivery id (deduplication), with webhook-timestamp'),
        HEADER('webhook-signature', 'Standard Webhooks: `v1,<base64 HMAC-SHA256>`'),
        HEADER('x-hub-signature-256', 'GitHub: `sha256=<hex HMAC>`, with X-GitHub-Delivery'),
        HEADER('authorization', 'bearer sources: `Bearer <secret>`'),
        HEADER('idempotency-key', 'Optional delivery id for sources without one of their own'),
      ),
      requestBody: {
        required: true,
        description: 'The sender JSON, verified as alerts.sources.<source>.verify says (one scheme per source)',
        content: { 'application/json': { schema: { type: 'object' } } },
      },
      responses: {
        202: json(
          {
            type: 'object',
            properties: { eventId: { type: 'string' }, duplicate: { type: 'boolean' } },
          },
          'Accepted',
        ),
        ...errors(400, 401, 404, 413, 415, 429, 503),
      },
    },
    get: hookOp('GET'),
    head: hookOp('HEAD'),
    put: hookOp('PUT'),
    patch: hookOp('PATCH'),
    delete: hookOp('DELETE'),
  },
};

export const hubPaths = { ...hookPaths, ...eventPaths };
