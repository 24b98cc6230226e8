/**
 * Mattermost incoming webhook: Markdown `text` plus one Slack-compatible attachment (fallback, color,
 * title, text, fields). Posts are capped at 16383 characters by default; we stay far below. User text is
 * Markdown-escaped and @-mentions are broken so an alert cannot page a whole channel.
 */
import type { FormatContext, Notification } from '../types.ts';
import { contentOf } from './content.ts';
import { escapeMarkdown, fit, markdownUrl, oneLine } from './text.ts';

export function formatMattermost(n: Notification, options: { channel?: string } = {}, ctx: FormatContext = {}) {
  const c = contentOf(n, ctx);
  const links = [
    c.runbook ? `[Runbook](${markdownUrl(c.runbook)})` : null,
    c.eventUrl ? `[Open in Cairn](${markdownUrl(c.eventUrl)})` : null,
  ].filter(Boolean);
  const body = [fit(c.summary, 3000, escapeMarkdown), c.note ? `_${escapeMarkdown(c.note)}_` : '', links.join(' · ')]
    .filter((part) => part !== '')
    .join('\n\n');
  return {
    ...(options.channel ? { channel: options.channel } : {}),
    username: 'Cairn',
    text: `#### ${c.style.emoji} ${fit(c.headline, 500, escapeMarkdown)}`,
    attachments: [
      {
        fallback: fit(oneLine(`${c.style.label}: ${c.headline}`), 300),
        color: c.style.colour,
        title: fit(c.title, 250, escapeMarkdown),
        ...(c.eventUrl ? { title_link: c.eventUrl } : {}),
        text: body,
        fields: c.fields.map((f) => ({ short: true, title: f.label, value: fit(f.value, 500, escapeMarkdown) })),
      },
    ],
  };
}
