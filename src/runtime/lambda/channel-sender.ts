/**
 * The channel sender on Lambda: an SQS event source on the `channels` queue, where the notifier puts
 * one message per notification (the message names its channel). Each is the core's ChannelSender —
 * render for Slack, Teams, PagerDuty, webhooks… and send, idempotent per (event, channel). E-mail
 * channels need an SMTP (or SES) mailer that is not wired on AWS yet: they fail and retry until then.
 */
import type { ChannelMessage } from '../../core/alerts/notify/index.ts';
import { sqsBatchHandler } from './batch.ts';
import { clients, hub } from './compose.ts';
import { unwrapSns } from './records.ts';

export const handler = sqsBatchHandler<ChannelMessage>({
  name: 'channels',
  sqs: clients.sqs,
  parse: (record) => JSON.parse(unwrapSns(record.body)) as ChannelMessage,
  handle: async (message) => (await hub()).sender().handle(message),
});
