/**
 * Renders a notification for its channel as the requests to make: one HTTP request (chat, webhook), one
 * per fingerprint (PagerDuty) or one e-mail. Each unit names the events it delivers, so the sender can
 * record success per event and never resend to a target that already has it.
 */
import type { HttpRequestSpec, MailMessage } from '../../../../ports/alerts.ts';
import type { ResolvedChannel } from '../channels.ts';
import type { FormatContext, Notification } from '../types.ts';
import { formatEmail } from './email.ts';
import { formatMattermost } from './mattermost.ts';
import { formatPagerDuty } from './pagerduty.ts';
import { formatSlack } from './slack.ts';
import { formatTeams } from './teams.ts';
import { formatWebhook } from './webhook.ts';

export type SendUnit =
  | { kind: 'http'; eventIds: string[]; request: Omit<HttpRequestSpec, 'timeoutMs'>; sign: string | null }
  | { kind: 'mail'; eventIds: string[]; message: MailMessage };

const JSON_HEADERS = { 'content-type': 'application/json', 'user-agent': 'Cairn' };

const post = (url: string, body: unknown, eventIds: string[], sign: string | null = null): SendUnit => ({
  kind: 'http',
  eventIds,
  request: { url, method: 'POST', headers: { ...JSON_HEADERS }, body: JSON.stringify(body) },
  sign,
});

export function sendUnits(channel: ResolvedChannel, n: Notification, ctx: FormatContext = {}): SendUnit[] {
  const all = n.events.map((e) => e.eventId);
  switch (channel.type) {
    case 'slack':
      return [post(channel.url, formatSlack(n, ctx), all)];
    case 'mattermost':
      return [post(channel.url, formatMattermost(n, { channel: channel.channel }, ctx), all)];
    case 'teams':
      return [post(channel.url, formatTeams(n, ctx), all)];
    case 'pagerduty':
      return formatPagerDuty(n, channel.routingKey, ctx).map((e) => post(channel.url, e.body, e.eventIds));
    case 'webhook':
      return [post(channel.url, formatWebhook(n), all, channel.secret)];
    case 'email':
      return [{ kind: 'mail', eventIds: all, message: formatEmail(n, channel, ctx) }];
  }
}

export { formatEmail, formatMattermost, formatPagerDuty, formatSlack, formatTeams, formatWebhook };
export { ADAPTIVE_CARD } from './teams.ts';
export { dedupKeyOf, PAGERDUTY_SEVERITY } from './pagerduty.ts';
