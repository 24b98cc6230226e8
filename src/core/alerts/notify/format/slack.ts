/**
 * Slack incoming webhook with Block Kit: a header block (plain text, 150 characters), then the details in
 * a secondary attachment whose `color` paints the severity bar (Block Kit itself has no colour). Limits:
 * section text 3000, at most 10 fields of 2000, button text 75, button url 3000, `text` kept short as
 * the notification fallback. User text is mrkdwn-escaped (&, <, >): no injected links or @channel.
 */
import type { FormatContext, Notification } from '../types.ts';
import { contentOf } from './content.ts';
import { escapeSlack, fit, truncate } from './text.ts';

type Block = Record<string, unknown>;

const mrkdwn = (text: string) => ({ type: 'mrkdwn', text });
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const button = (text: string, url: string, actionId: string) => ({
  type: 'button',
  text: plain(text),
  url,
  action_id: actionId,
});

export function formatSlack(n: Notification, ctx: FormatContext = {}): Record<string, unknown> {
  const c = contentOf(n, ctx);
  const details: Block[] = [];
  const summary = fit(c.summary, 2900, escapeSlack);
  details.push({ type: 'section', text: mrkdwn(`*${c.style.label}*${summary ? `\n${summary}` : ''}`) });
  if (c.fields.length > 0) {
    const fields = c.fields.slice(0, 10).map((f) => mrkdwn(`*${f.label}*\n${fit(f.value, 1900, escapeSlack)}`));
    details.push({ type: 'section', fields });
  }
  if (c.note) details.push({ type: 'context', elements: [mrkdwn(escapeSlack(c.note))] });
  const buttons = [
    c.runbook && c.runbook.length <= 3000 ? button('Runbook', c.runbook, 'runbook') : null,
    c.eventUrl && c.eventUrl.length <= 3000 ? button('Open in Cairn', c.eventUrl, 'open-event') : null,
  ].filter((b) => b !== null);
  if (buttons.length > 0) details.push({ type: 'actions', elements: buttons });
  return {
    text: fit(`${c.style.label}: ${c.headline}`, 300, escapeSlack),
    blocks: [{ type: 'header', text: plain(truncate(`${c.style.shortcode} ${c.headline}`, 150)) }],
    attachments: [{ color: c.style.colour, blocks: details }],
  };
}
