/** OpenAPI paths of the hub's admin API (queues, dead letters, redrive, silences, subscriptions). */
import { filterPolicy, subscriptionProps } from './openapi-hub.ts';
import {
  body,
  errors,
  isoTime,
  json,
  noContent,
  op,
  PAGE_PARAMS,
  paged,
  params,
  path,
  queryParam,
  ref,
  itemsOf,
} from './openapi-helpers.ts';

export const alertsAdminPaths = {
  '/api/alerts/queues': {
    get: op('The hub queues with their depth and dead-letter count', {
      200: json(itemsOf(ref('QueueDepth'))),
    }),
  },
  '/api/alerts/queues/{name}/dead': {
    get: op(
      "A queue's dead letters, each naming its event",
      { 200: json(paged(ref('DeadLetter'))) },
      params('name', PAGE_PARAMS),
    ),
  },
  '/api/alerts/queues/{name}/redrive': {
    post: op(
      'Move dead letters back to the queue with a fresh receive count (admin)',
      { 200: json({ type: 'object', properties: { redriven: { type: 'integer' } } }), ...errors(403) },
      {
        ...path('name'),
        ...body(
          {
            type: 'object',
            properties: { ids: { type: 'array', items: { type: 'string' }, description: 'Default: all' } },
          },
          false,
        ),
      },
    ),
  },
  '/api/alerts/silences': {
    get: op(
      "Silences: cairn.yaml's first (origin config, file order), then runtime ones (origin api, newest first)",
      { 200: json(paged({ oneOf: [ref('ConfigSilence'), ref('ApiSilence')] })) },
      params(queryParam('origin', { enum: ['config', 'api'] }, 'Only silences of this origin'), PAGE_PARAMS),
    ),
    post: op(
      'Add a runtime silence',
      { 201: json(ref('ApiSilence'), 'Created') },
      body({
        type: 'object',
        required: ['match', 'endsAt'],
        properties: {
          match: filterPolicy,
          startsAt: { ...isoTime, description: 'Default: now' },
          endsAt: { ...isoTime, description: 'After startsAt and in the future' },
          comment: { type: 'string', maxLength: 1000 },
        },
      }),
    ),
  },
  '/api/alerts/silences/{id}': {
    delete: op(
      'End a runtime silence now (idempotent); a cairn.yaml silence is refused with 409 CAIRN_SILENCE_READ_ONLY',
      { 200: json(ref('ApiSilence')), ...errors(409) },
      path('id'),
    ),
  },
  '/api/alerts/subscriptions': {
    get: op('Topic subscriptions, from cairn.yaml and runtime (secrets are never listed)', {
      200: json(itemsOf(ref('Subscription'))),
    }),
    post: op(
      'Add or replace a runtime subscription (admin); the answer shows its secret, once',
      {
        201: json(
          {
            type: 'object',
            properties: { ...subscriptionProps, secret: { type: 'string' }, createdAt: isoTime },
          },
          'Created',
        ),
        ...errors(403, 409),
      },
      body({
        type: 'object',
        required: ['name', 'endpoint'],
        properties: {
          ...subscriptionProps,
          secret: { type: 'string', pattern: '^whsec_' },
        },
      }),
    ),
  },
  '/api/alerts/subscriptions/{name}': {
    delete: op(
      'Remove a runtime subscription (admin); cairn.yaml ones answer 409',
      { ...noContent('Removed'), ...errors(403, 409) },
      path('name'),
    ),
  },
};
