import { z } from 'zod';
import { isCairnError } from '../core/errors.ts';
import { compileFilterPattern, validateMetricTransformation } from '../core/logs/index.ts';
import { ALARM_COMPARISONS, TREAT_MISSING_DATA } from '../core/logs/alarms/index.ts';
import { BASIC_STATISTICS, PERCENTILE } from '../core/logs/metrics/index.ts';
import { bytes, seconds } from './schema-units.ts';

/**
 * `logs:` in cairn.yaml — the log agent (docs/logs.md). Metric filters and alarms use CloudFormation's
 * keys (AWS::Logs::MetricFilter, AWS::CloudWatch::Alarm) so the same config deploys to AWS.
 */
const port = z.number().int().min(0).max(65535);
const logGroupName = z.string().regex(/^[\w\-/.#]{1,512}$/, 'a log group name: 1–512 of letters, digits, _ - / . #');
const ascii = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[\x20-\x7e]+$/, 'printable ASCII only');

const syslogRouteSchema = z
  .object({
    /** Only messages from these APP-NAMEs (5424) / TAGs (3164); all when absent. */
    appNames: z.array(z.string().min(1)).optional(),
    hostnames: z.array(z.string().min(1)).optional(),
    /** Facility numbers (0–23) or names (kern, user, daemon, auth, local0…). */
    facilities: z
      .array(
        z.union([
          z.number().int().min(0).max(23),
          z
            .string()
            .regex(
              /^(kern|user|mail|daemon|auth|syslog|lpr|news|uucp|cron|authpriv|ftp|ntp|security|console|solaris-cron|local[0-7])$/i,
              'a facility name such as daemon or local0',
            ),
        ]),
      )
      .optional(),
    /** The event message: the MSG part only, or the whole syslog line as received. */
    message: z.enum(['msg', 'full']).default('msg'),
  })
  .strict();

const groupSchema = z
  .object({
    files: z.array(z.string().min(1)).default([]),
    syslog: syslogRouteSchema.optional(),
    /** Where to start in a file first seen when the agent starts (files that appear later: the start). */
    initialPosition: z.enum(['start_of_file', 'end_of_file']).default('end_of_file'),
    /** For `cairn aws agent-config` only: the amazon-cloudwatch-agent's timestamp_format. */
    timestampFormat: z.string().min(1).optional(),
    logStreamName: z.string().min(1).default('{instance_id}'),
  })
  .strict();

const dimensionsObject = z.record(z.string().min(1), z.string().min(1));

const transformationSchema = z
  .object({
    MetricName: z.string().min(1).max(255),
    MetricNamespace: z.string().min(1).max(255),
    MetricValue: z.union([z.string().min(1), z.number()]).transform((v) => String(v)),
    DefaultValue: z.number().optional(),
    /** `{ Status: $status }` or CloudFormation's `[{ Key: Status, Value: $status }]`. */
    Dimensions: z
      .union([dimensionsObject, z.array(z.object({ Key: z.string().min(1), Value: z.string().min(1) }).strict())])
      .optional()
      .transform((d) =>
        d === undefined ? undefined : Array.isArray(d) ? d : Object.entries(d).map(([Key, Value]) => ({ Key, Value })),
      ),
    Unit: z.string().min(1).optional(),
  })
  .strict();

const metricFilterSchema = z
  .object({
    name: z.string().min(1).max(512),
    logGroup: logGroupName,
    FilterPattern: z.string().max(1024),
    MetricTransformations: z.array(transformationSchema).length(1, 'a metric filter has exactly one transformation'),
  })
  .strict();

const alarmSchema = z
  .object({
    AlarmName: ascii(255),
    AlarmDescription: z.string().max(1024).optional(),
    Namespace: z.string().min(1).max(255),
    MetricName: z.string().min(1).max(255),
    /** `{ Status: "500" }` or CloudFormation's `[{ Name: Status, Value: "500" }]`. */
    Dimensions: z
      .union([dimensionsObject, z.array(z.object({ Name: z.string().min(1), Value: z.string().min(1) }).strict())])
      .default({})
      .transform((d) => (Array.isArray(d) ? Object.fromEntries(d.map((x) => [x.Name, x.Value])) : d)),
    Statistic: z.enum(BASIC_STATISTICS as [string, ...string[]]).optional(),
    ExtendedStatistic: z.string().regex(PERCENTILE, 'a percentile such as p90 or p99.9').optional(),
    /** Seconds; any multiple of 10 locally (CloudWatch itself takes 10, 20, 30 or a multiple of 60). */
    Period: seconds.pipe(
      z
        .number()
        .int()
        .min(10)
        .refine((p) => p % 10 === 0, 'must be a multiple of 10 seconds'),
    ),
    EvaluationPeriods: z.number().int().min(1),
    DatapointsToAlarm: z.number().int().min(1).optional(),
    Threshold: z.number(),
    ComparisonOperator: z.enum(ALARM_COMPARISONS as [string, ...string[]]),
    TreatMissingData: z.enum(TREAT_MISSING_DATA as [string, ...string[]]).default('missing'),
    Unit: z.string().min(1).optional(),
    labels: z.record(z.string().min(1), z.string()).default({}),
  })
  .strict()
  .superRefine((a, ctx) => {
    if ((a.Statistic === undefined) === (a.ExtendedStatistic === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of Statistic or ExtendedStatistic' });
    if (a.DatapointsToAlarm !== undefined && a.DatapointsToAlarm > a.EvaluationPeriods)
      ctx.addIssue({ code: 'custom', path: ['DatapointsToAlarm'], message: 'must not exceed EvaluationPeriods' });
    if (a.Period * a.EvaluationPeriods > 86400)
      ctx.addIssue({
        code: 'custom',
        path: ['EvaluationPeriods'],
        message: 'Period × EvaluationPeriods must not exceed one day',
      });
  });

export const logsSchema = z
  .object({
    groups: z.record(logGroupName, groupSchema).default({}),
    syslog: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        udpPort: port.optional(),
        tcpPort: port.optional(),
        maxMessageBytes: bytes.default(64 * 1024),
      })
      .strict()
      .prefault({}),
    metricFilters: z.array(metricFilterSchema).default([]),
    alarms: z.array(alarmSchema).default([]),
    /** How often files are checked for new lines, rotation and truncation. */
    pollInterval: seconds.pipe(z.number().min(1)).default(1),
    /** Longer lines are cut here (and counted); CloudWatch Logs takes events up to 256 KiB. */
    maxLineBytes: bytes.pipe(z.number().int().min(1024)).default(256 * 1024),
    /** Evaluate a period this long after it closes, so that its last lines are counted. */
    evaluationDelay: seconds.default(2),
    retention: z
      .object({
        /** 10 s datapoints (alarms and queries with periods that are not a multiple of 60). */
        highResolution: seconds.default(86400),
        /** 60 s datapoints. */
        standard: seconds.default(15 * 86400),
        /** 1 h datapoints. */
        hourly: seconds.default(455 * 86400),
        alarmHistory: seconds.default(14 * 86400),
      })
      .strict()
      .prefault({}),
    ingest: z
      .object({
        maxBodyBytes: bytes.default(1024 * 1024),
        maxEvents: z.number().int().min(1).max(100_000).default(10_000),
        /** Bearer tokens for POST /api/logs/{logGroup} from machines (signed-in users need none). */
        tokenEnv: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
    /** What alarm events name as their AWS account and region. */
    events: z
      .object({
        account: z
          .string()
          .regex(/^\d{12}$/)
          .default('000000000000'),
        region: z.string().min(1).default('local'),
      })
      .strict()
      .prefault({}),
  })
  .strict()
  .superRefine((logs, ctx) => {
    const names = new Set<string>();
    logs.metricFilters.forEach((f, i) => {
      if (!logs.groups[f.logGroup])
        ctx.addIssue({
          code: 'custom',
          path: ['metricFilters', i, 'logGroup'],
          message: `no log group "${f.logGroup}" under logs.groups`,
        });
      const key = `${f.logGroup}\u0000${f.name}`;
      if (names.has(key))
        ctx.addIssue({
          code: 'custom',
          path: ['metricFilters', i, 'name'],
          message: `"${f.name}" is used twice in ${f.logGroup}`,
        });
      names.add(key);
      try {
        compileFilterPattern(f.FilterPattern);
      } catch (e) {
        if (!isCairnError(e)) throw e;
        ctx.addIssue({ code: 'custom', path: ['metricFilters', i, 'FilterPattern'], message: e.message });
      }
      f.MetricTransformations.forEach((t, j) => {
        try {
          validateMetricTransformation(t);
        } catch (e) {
          if (!isCairnError(e)) throw e;
          ctx.addIssue({ code: 'custom', path: ['metricFilters', i, 'MetricTransformations', j], message: e.message });
        }
      });
    });
    const alarms = new Set<string>();
    logs.alarms.forEach((a, i) => {
      if (alarms.has(a.AlarmName))
        ctx.addIssue({ code: 'custom', path: ['alarms', i, 'AlarmName'], message: `"${a.AlarmName}" is used twice` });
      alarms.add(a.AlarmName);
    });
  });

export type LogsConfig = z.infer<typeof logsSchema>;
export type LogGroupConfig = z.infer<typeof groupSchema>;
export type SyslogRouteConfig = z.infer<typeof syslogRouteSchema>;
export type MetricFilterConfig = z.infer<typeof metricFilterSchema>;
export type AlarmConfig = z.infer<typeof alarmSchema>;
