/**
 * The channel sender on Lambda: an SQS event source on the `channels` queue, where the notifier puts
 * one message per notification (the message names its channel). Each is the core's ChannelSender —
 * render for Slack, Teams, PagerDuty, webhooks, e-mail… and send, idempotent per (event, channel).
 * E-mail goes out through SES (adapters/aws/ses-mailer.ts) as the identity the deployment names
 * (SES_IDENTITY_ARN); with e-mail channels and no identity, making the sender throws a ConfigError, so
 * every message fails on it before anything is sent.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { sesMailers } from '../../adapters/aws/ses-mailer.ts';
import type { ChannelMessage } from '../../core/alerts/notify/index.ts';
import { sqsBatchHandler } from './batch.ts';
import { clients, env, hub, type MailersFor } from './compose.ts';
import { traced } from './powertools.ts';
import { unwrapSns } from './records.ts';

/** The SES client is made in the identity's region, which may not be the function's. */
const mailers: MailersFor = (channels) =>
  sesMailers(channels, {
    identityArn: env().SES_IDENTITY_ARN,
    client: (region) => traced(new SESv2Client({ region })),
  });

export const sender = async () => (await hub()).sender(mailers);

export const handler = sqsBatchHandler<ChannelMessage>({
  name: 'channels',
  sqs: clients.sqs,
  parse: (record) => JSON.parse(unwrapSns(record.body)) as ChannelMessage,
  handle: async (message) => (await sender()).handle(message),
});
