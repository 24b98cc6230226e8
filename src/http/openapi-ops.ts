/** OpenAPI paths and schemas of the log agent (ingest, metrics, alarms) and of legacy backups. */
import {
  body,
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
  itemsOf,
} from './openapi-helpers.ts';

const ALARM_STATE = { enum: ['OK', 'ALARM', 'INSUFFICIENT_DATA'] };
const dimensions = { type: 'object', additionalProperties: { type: 'string' } };

export const logSchemas: Record<string, Schema> = {
  MetricSummary: {
    type: 'object',
    properties: {
      namespace: { type: 'string' },
      name: { type: 'string' },
      dimensions,
      unit: stringOrNull,
      lastAt: isoTime,
    },
  },
  AlarmHistoryItem: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      alarmName: { type: 'string' },
      timestamp: isoTime,
      oldState: ALARM_STATE,
      newState: ALARM_STATE,
      reason: { type: 'string' },
      eventId: { type: 'string', description: 'The hub event the state change became' },
      queued: { type: 'boolean' },
    },
  },
  Alarm: {
    type: 'object',
    description: 'An alarm of logs.alarms (CloudWatch PutMetricAlarm keys) with its state',
    properties: {
      AlarmName: { type: 'string' },
      AlarmDescription: { type: 'string' },
      Namespace: { type: 'string' },
      MetricName: { type: 'string' },
      Dimensions: dimensions,
      statistic: { type: 'string', examples: ['Sum', 'p90'] },
      Period: { type: 'integer' },
      EvaluationPeriods: { type: 'integer' },
      DatapointsToAlarm: { type: 'integer' },
      Threshold: { type: 'number' },
      ComparisonOperator: { type: 'string' },
      TreatMissingData: { enum: ['breaching', 'notBreaching', 'ignore', 'missing'] },
      Unit: { type: 'string' },
      labels: dimensions,
      state: {
        type: ['object', 'null'],
        properties: {
          value: ALARM_STATE,
          reason: { type: 'string' },
          reasonData: { type: ['object', 'null'] },
          timestamp: isoTime,
        },
      },
      evaluatedAt: isoTimeOrNull,
      history: { type: 'array', items: ref('AlarmHistoryItem'), description: 'The last 10 changes' },
    },
  },
};

const logEvents = {
  type: 'array',
  maxItems: 10_000,
  items: {
    type: 'object',
    required: ['message'],
    properties: {
      message: { type: 'string', minLength: 1 },
      timestamp: { type: ['integer', 'string'], description: 'Epoch ms or ISO 8601; default now' },
    },
  },
};

export const logPaths = {
  '/api/logs/test-metric-filter': {
    post: op(
      'TestMetricFilter: which messages a filter pattern matches, and the values it extracts',
      {
        200: json({
          type: 'object',
          properties: {
            matches: {
              type: 'array',
              items: {
                type: 'object',
                properties: {
                  eventNumber: { type: 'integer' },
                  eventMessage: { type: 'string' },
                  extractedValues: { type: 'object', additionalProperties: { type: 'string' } },
                },
              },
            },
          },
        }),
        ...errors(413, 415),
      },
      body({
        type: 'object',
        required: ['filterPattern', 'logEventMessages'],
        properties: {
          filterPattern: { type: 'string', examples: ['[ip, user, , status=5*, size]'] },
          logEventMessages: { type: 'array', items: { type: 'string', minLength: 1 }, minItems: 1, maxItems: 50 },
        },
      }),
    ),
  },
  '/api/logs/status': {
    get: op('The log agent: tailed files, problems, counters, syslog', {
      200: json({
        type: 'object',
        properties: {
          files: { type: 'array', items: { type: 'object' } },
          problems: { type: 'array', items: { type: 'object' } },
          counters: { type: 'object' },
          session: {},
          syslog: { type: ['object', 'null'] },
        },
      }),
    }),
  },
  '/api/logs/{logGroup}': {
    post: op(
      'Ship log events to a group of logs.groups (a signed-in user, or a machine token of logs.ingest)',
      {
        200: json({
          type: 'object',
          properties: {
            accepted: { type: 'integer' },
            truncated: { type: 'integer', description: 'Lines cut to logs.maxLineBytes' },
            rejected: {
              type: 'object',
              description: 'Present when some events were outside the accepted time window',
              properties: { tooOld: { type: 'integer' }, tooNew: { type: 'integer' } },
            },
          },
        }),
        ...errors(413),
      },
      {
        ...path('logGroup'),
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                description: '`events`, or `logEvents` as CloudWatch PutLogEvents names them',
                properties: { events: logEvents, logEvents },
              },
            },
            'text/plain': { schema: { type: 'string', description: 'One event per line' } },
          },
        },
      },
    ),
  },
  '/api/metrics': {
    get: op(
      'Metrics the filters have produced',
      { 200: json(paged(ref('MetricSummary'))) },
      params(queryParam('namespace', { type: 'string' }), queryParam('name', { type: 'string' }), PAGE_PARAMS),
    ),
  },
  '/api/metrics/data': {
    get: op(
      'Datapoints of one metric series (at most 1440 per request)',
      {
        200: json({
          type: 'object',
          properties: {
            namespace: { type: 'string' },
            name: { type: 'string' },
            dimensions,
            stat: { type: 'string' },
            period: { type: 'integer' },
            from: isoTime,
            to: isoTime,
            datapoints: {
              type: 'array',
              items: {
                type: 'object',
                properties: { timestamp: isoTime, value: { type: 'number' }, sampleCount: { type: 'number' } },
              },
            },
          },
        }),
      },
      params(
        queryParam('namespace', { type: 'string' }, undefined, true),
        queryParam('name', { type: 'string' }, undefined, true),
        queryParam('dimensions', { type: 'string' }, 'A JSON object of strings, e.g. {"Status":"500"}'),
        queryParam('stat', { type: 'string', default: 'Sum' }, 'Sum, Average, Minimum, Maximum, SampleCount or pNN'),
        queryParam('period', { type: 'integer', default: 60, minimum: 10, multipleOf: 10 }, 'Seconds'),
        queryParam('from', isoTime, 'Default: three hours before to'),
        queryParam('to', isoTime, 'Default: the end of the current period'),
      ),
    ),
  },
  '/api/alarms': {
    get: op('Alarms of logs.alarms with their state and recent history', {
      200: json(itemsOf(ref('Alarm'))),
    }),
  },
  '/api/alarms/{name}/history': {
    get: op(
      "An alarm's state changes, newest first",
      { 200: json(paged(ref('AlarmHistoryItem'))) },
      params('name', PAGE_PARAMS),
    ),
  },
};

const RUN_STATUS = { enum: ['running', 'succeeded', 'failed'] };

export const backupSchemas: Record<string, Schema> = {
  BackupRun: {
    type: 'object',
    properties: {
      id: { type: 'string' },
      job: { type: 'string' },
      mode: { enum: ['full', 'incremental'] },
      kind: { enum: ['rows', 'dump'] },
      status: RUN_STATUS,
      phase: { enum: ['chunks', 'hot-committed', 'manifest-written', 'done', 'failed'] },
      trigger: { enum: ['manual', 'api', 'schedule', 'missed'] },
      scheduledFor: isoTimeOrNull,
      startedAt: isoTimeOrNull,
      finishedAt: isoTimeOrNull,
      durationMs: { type: ['integer', 'null'] },
      chunksTotal: { type: ['integer', 'null'] },
      chunksDone: { type: 'integer' },
      rows: { type: 'integer' },
      bytes: { type: 'integer' },
      hotRows: { type: ['integer', 'null'] },
      cursor: { type: ['object', 'null'] },
      basedOn: stringOrNull,
      manifestKey: stringOrNull,
      error: stringOrNull,
      verify: { type: ['object', 'null'] },
      prunedAt: isoTimeOrNull,
      live: { type: 'boolean', description: 'Running in this process now' },
    },
  },
  BackupJob: {
    type: 'object',
    properties: {
      name: { type: 'string' },
      mode: { enum: ['full', 'incremental'] },
      source: { type: 'object', description: 'Its type and a description without secrets' },
      cursor: { type: ['object', 'null'] },
      schedule: {
        type: 'object',
        properties: {
          incremental: stringOrNull,
          full: stringOrNull,
          startDate: { ...isoTimeOrNull, description: 'Where rate() schedules count from (null: the epoch)' },
          timeZone: { type: 'string' },
        },
      },
      hotTable: stringOrNull,
      chunkRows: { type: 'integer' },
      concurrency: { type: 'integer' },
      retention: { type: 'object' },
      missedRunPolicy: { enum: ['skip', 'runOnce'] },
      nextRunAt: {
        ...isoTimeOrNull,
        description: "The next scheduled run (the job's time zone applied); null when none will fire",
      },
      nextRunKind: { enum: ['full', 'incremental', null] },
      lastRun: { oneOf: [ref('BackupRun'), { type: 'null' }] },
    },
  },
};

export const backupPaths = {
  '/api/backups/jobs': {
    get: op('Backup jobs with their next scheduled run and their last run', {
      200: json(itemsOf(ref('BackupJob'))),
    }),
  },
  '/api/backups/jobs/{job}/runs': {
    get: op("A job's runs, newest first", { 200: json(paged(ref('BackupRun'))) }, params('job', PAGE_PARAMS)),
  },
  '/api/backups/runs/{id}': {
    get: op(
      'One run, with live chunk progress while it runs',
      {
        200: json({
          allOf: [
            ref('BackupRun'),
            {
              type: 'object',
              properties: {
                progress: {
                  type: ['object', 'null'],
                  properties: { total: { type: ['integer', 'null'] }, done: { type: 'integer' } },
                },
              },
            },
          ],
        }),
      },
      path('id'),
    ),
  },
  '/api/backups/jobs/{job}/run': {
    post: op(
      'Start a run now (admin); 202: it goes on in the background, poll the run at Location',
      {
        202: json(
          {
            allOf: [ref('BackupRun'), { type: 'object', properties: { resumed: { type: 'boolean' } } }],
          },
          'Accepted',
        ),
        ...errors(403, 409),
      },
      {
        ...path('job'),
        ...body(
          {
            type: 'object',
            additionalProperties: false,
            properties: { full: { type: 'boolean', description: 'A full run instead of an incremental one' } },
          },
          false,
        ),
      },
    ),
  },
  '/api/backups/runs/{id}/verify': {
    post: op(
      'Verify a run: read its chunks back and check them against the manifest (admin)',
      {
        200: json({
          type: 'object',
          properties: {
            runId: { type: 'string' },
            ok: { type: 'boolean' },
            chunks: { type: 'integer' },
            rows: { type: 'integer' },
            bytes: { type: 'integer' },
            problems: {
              type: 'array',
              items: { type: 'object', properties: { key: { type: 'string' }, problem: { type: 'string' } } },
            },
          },
        }),
        ...errors(403, 409),
      },
      path('id'),
    ),
  },
};
