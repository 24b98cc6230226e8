import { z } from 'zod';
import type { RetryPolicy } from '../core/alerts/notify/delivery.ts';
import { bytes, seconds } from './schema-units.ts';

/**
 * `alerts:` in cairn.yaml — the notification hub. Matchers (`filterPolicy`, route `match`, silence
 * `match`) use SNS filter-policy syntax over the event's attributes: source, severity, status, service,
 * title and every label — one filter language everywhere (docs/hub.md).
 */
const jsonPath = z.string().regex(/^\$(\.[A-Za-z_$][\w$-]*|\[\d+\])*$/, 'must be a path like $.a.b[0]');
const filterPolicy = z.record(z.string(), z.unknown());

export const sourceSchema = z
  .object({
    verify: z
      .object({
        scheme: z.enum(['standard-webhooks', 'github', 'bearer']),
        secret: z.string().min(1).optional(),
        secretEnv: z.string().min(1).optional(),
        secretFile: z.string().min(1).optional(),
        /** Standard Webhooks: refuse timestamps further than this from now (replays). */
        tolerance: seconds.default(300),
      })
      .strict()
      .refine(
        (v) => [v.secret, v.secretEnv, v.secretFile].filter(Boolean).length === 1,
        'give exactly one of secret, secretEnv or secretFile',
      ),
    fields: z
      .object({
        title: jsonPath,
        summary: jsonPath,
        severity: jsonPath,
        status: jsonPath,
        service: jsonPath,
        fingerprint: jsonPath,
      })
      .partial()
      .strict()
      .prefault({}),
    /** Source values → Cairn severities, e.g. { P1: critical, warn: warning }. */
    severityMap: z.record(z.string(), z.enum(['critical', 'error', 'warning', 'info'])).default({}),
    /** Status values meaning the condition cleared. */
    resolvedValues: z.array(z.string()).default(['resolved', 'ok', 'OK', 'RESOLVED']),
    defaultSeverity: z.enum(['critical', 'error', 'warning', 'info']).default('warning'),
    labels: z.record(z.string(), z.string()).default({}),
  })
  .strict();

export const channelSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('slack'), url: z.url() }).strict(),
  z.object({ type: z.literal('mattermost'), url: z.url(), channel: z.string().optional() }).strict(),
  z.object({ type: z.literal('teams'), url: z.url() }).strict(),
  z
    .object({
      type: z.literal('pagerduty'),
      routingKey: z.string().min(1).optional(),
      routingKeyEnv: z.string().min(1).optional(),
      url: z.url().default('https://events.pagerduty.com/v2/enqueue'),
    })
    .strict(),
  z
    .object({
      type: z.literal('email'),
      smtp: z
        .object({
          host: z.string().min(1),
          port: z.number().int().min(1).max(65535).default(587),
          secure: z.boolean().default(false),
          user: z.string().optional(),
          passwordEnv: z.string().optional(),
        })
        .strict(),
      from: z.string().min(3),
      to: z.array(z.string().min(3)).min(1),
    })
    .strict(),
  z
    .object({
      type: z.literal('webhook'),
      url: z.url(),
      secret: z.string().optional(),
      secretEnv: z.string().optional(),
    })
    .strict(),
]);

export const routeSchema = z
  .object({
    match: filterPolicy.default({}),
    channels: z.array(z.string().min(1)).min(1),
    groupBy: z.array(z.string()).default(['fingerprint']),
    groupWait: seconds.default(0),
    groupInterval: seconds.default(60),
    repeatInterval: seconds.default(4 * 3600),
    continue: z.boolean().default(false),
  })
  .strict();

export const silenceSchema = z
  .object({
    name: z.string().min(1),
    match: filterPolicy,
    startsAt: z.iso.datetime({ offset: true }).optional(),
    endsAt: z.iso.datetime({ offset: true }).optional(),
    /** A recurring maintenance window: an EventBridge cron(...) start, a duration and a time zone. */
    schedule: z
      .object({ expression: z.string().min(1), duration: seconds, timeZone: z.string().default('UTC') })
      .strict()
      .optional(),
    comment: z.string().optional(),
  })
  .strict()
  .refine((s) => !!s.schedule !== !!(s.startsAt || s.endsAt), 'give either startsAt/endsAt or schedule');

export const subscriptionSchema = z
  .object({
    name: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and -'),
    endpoint: z.url(),
    secret: z
      .string()
      .regex(/^whsec_[A-Za-z0-9+/=]+$/, 'must be a whsec_… Standard Webhooks secret')
      .optional(),
    secretEnv: z.string().optional(),
    filterPolicy: filterPolicy.optional(),
    filterPolicyScope: z.enum(['MessageAttributes', 'MessageBody']).default('MessageAttributes'),
    /** Attempts before the subscription's DLQ (its backoff is alerts.delivery's). */
    maxReceiveCount: z.number().int().min(1).max(1000).default(15),
  })
  .strict();

export const alertsSchema = z
  .object({
    sources: z
      .record(z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'lower-case letters, digits, _ and -'), sourceSchema)
      .default({}),
    maxBodyBytes: bytes.default(256 * 1024),
    queue: z
      .object({
        maxReceiveCount: z.number().int().min(1).max(1000).default(5),
        visibilityTimeout: seconds.default(30),
        backoffBase: seconds.default(1),
        backoffMax: seconds.default(300),
      })
      .strict()
      .prefault({}),
    /**
     * Retries of outbound deliveries (channels and subscriptions): longer than the internal queues', so a
     * receiver down for a while gets its messages when it is back. The defaults retry for at least 2.7 h.
     */
    delivery: z
      .object({
        maxReceiveCount: z.number().int().min(1).max(1000).default(15),
        backoffBase: seconds.default(5),
        backoffMax: seconds.default(3600),
      })
      .strict()
      .prefault({}),
    retention: seconds.default(400 * 86400),
    enrich: z
      .object({
        tables: z
          .array(
            z
              .object({ key: z.string().min(1), values: z.record(z.string(), z.record(z.string(), z.string())) })
              .strict(),
          )
          .default([]),
        http: z
          .array(
            z
              .object({
                url: z.string().min(1),
                timeout: seconds.default(2),
                cacheTtl: seconds.default(300),
                onFailure: z.enum(['continue', 'retry']).default('continue'),
                headers: z.record(z.string(), z.string()).default({}),
              })
              .strict(),
          )
          .default([]),
        module: z.string().min(1).optional(),
        rules: z.array(z.object({ match: filterPolicy, set: z.record(z.string(), z.string()) }).strict()).default([]),
      })
      .strict()
      .prefault({}),
    channels: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), channelSchema).default({}),
    routes: z.array(routeSchema).default([]),
    silences: z.array(silenceSchema).default([]),
    subscriptions: z.array(subscriptionSchema).default([]),
  })
  .strict()
  .superRefine((a, ctx) => {
    a.routes.forEach((r, i) =>
      r.channels.forEach((c, j) => {
        if (!a.channels[c])
          ctx.addIssue({
            code: 'custom',
            path: ['routes', i, 'channels', j],
            message: `no channel named "${c}" under alerts.channels`,
          });
      }),
    );
  });

export type AlertsConfig = z.infer<typeof alertsSchema>;

/** A retry section (`alerts.queue`, `alerts.delivery`) as the workers' RetryPolicy, for both runtimes. */
export function retryPolicyOf(r: AlertsConfig['queue'] | AlertsConfig['delivery']): RetryPolicy {
  return { baseSeconds: r.backoffBase, maxSeconds: r.backoffMax, maxReceiveCount: r.maxReceiveCount };
}
export type SourceConfig = z.infer<typeof sourceSchema>;
export type ChannelConfig = z.infer<typeof channelSchema>;
export type RouteConfig = z.infer<typeof routeSchema>;
export type SilenceConfig = z.infer<typeof silenceSchema>;
export type SubscriptionConfig = z.infer<typeof subscriptionSchema>;
