import { Duration, Token } from 'aws-cdk-lib';
import type { EventNotificationHubProps } from '../event-notification-hub.ts';
import { logAlarmRules } from './log-alarms.ts';
import { missingEntries, type PropsRule } from './validation.ts';

const SUBSCRIPTION_NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const SES_IDENTITY =
  /^(arn:aws[\w-]*:ses:[a-z0-9-]+:\d{12}:identity\/.+|[^@\s]+@[^@\s]+\.[^@\s]+|([a-z0-9-]+\.)+[a-z]{2,})$/i;

/** Every rule EventNotificationHub's props must keep; all broken ones are reported together. */
export const EVENT_NOTIFICATION_HUB_RULES: readonly PropsRule<EventNotificationHubProps>[] = [
  {
    fails: (p) => p.maxReceiveCount !== undefined && (p.maxReceiveCount < 1 || p.maxReceiveCount > 1000),
    message: 'maxReceiveCount must be between 1 and 1000',
  },
  {
    fails: (p) =>
      p.deliveryMaxReceiveCount !== undefined && (p.deliveryMaxReceiveCount < 1 || p.deliveryMaxReceiveCount > 1000),
    message: 'deliveryMaxReceiveCount must be between 1 and 1000',
  },
  // E-mail goes out through SES on AWS: the identity must be given when cairn.yaml has e-mail channels.
  {
    fails: (p) => (p.emailChannels?.length ?? 0) > 0 && !p.sesIdentity,
    message: (p) =>
      `alerts.channels ${p.emailChannels!.join(', ')} send e-mail, which goes out through SES on AWS: set sesIdentity, the verified domain or address they send from`,
  },
  {
    fails: (p) =>
      p.sesIdentity !== undefined && !Token.isUnresolved(p.sesIdentity) && !SES_IDENTITY.test(p.sesIdentity),
    message: (p) => `sesIdentity must be a domain, an e-mail address or an SES identity ARN, not "${p.sesIdentity}"`,
  },
  {
    fails: (p) =>
      (p.visibilityTimeout ?? Duration.seconds(30)).toSeconds({ integral: false }) <
      (p.enrichTimeout ?? Duration.seconds(30)).toSeconds({ integral: false }),
    message:
      'visibilityTimeout must be at least enrichTimeout, or a message becomes visible again while it is processed',
  },
  {
    fails: (p) => (p.visibilityTimeout?.toSeconds({ integral: false }) ?? 30) > 43200,
    message: 'visibilityTimeout must be at most 12 hours',
  },
  {
    fails: (p) => (p.subscriptions ?? []).some((s) => !SUBSCRIPTION_NAME.test(s.name)),
    message: (p) =>
      `subscription names must be lower-case letters, digits and -: ${(p.subscriptions ?? [])
        .filter((s) => !SUBSCRIPTION_NAME.test(s.name))
        .map((s) => s.name)
        .join(', ')}`,
  },
  {
    fails: (p) => new Set((p.subscriptions ?? []).map((s) => s.name)).size !== (p.subscriptions ?? []).length,
    message: 'subscription names must be unique',
  },
  {
    fails: (p) =>
      (p.subscriptions ?? []).some(
        (s) => s.maxReceiveCount !== undefined && (s.maxReceiveCount < 1 || s.maxReceiveCount > 1000),
      ),
    message: 'a subscription maxReceiveCount must be between 1 and 1000',
  },
  {
    fails: (p) => (p.attributeLabels?.length ?? 0) > 4,
    message: 'attributeLabels: at most four (SNS carries ten message attributes; Cairn uses six)',
  },
  {
    fails: (p) => missingEntries(p.bundling.projectRoot, p.handlers).length > 0,
    message: (p) =>
      `handler entries not found under ${p.bundling.projectRoot}: ${missingEntries(p.bundling.projectRoot, p.handlers).join(', ')}`,
  },
  ...logAlarmRules<EventNotificationHubProps>((p) => ({
    metricFilters: p.metricFilters ?? [],
    alarms: p.alarms ?? [],
  })),
];
