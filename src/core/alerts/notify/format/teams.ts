/**
 * Microsoft Teams through a Workflows webhook ("When a Teams webhook request is received"): a message
 * whose first attachment is an Adaptive Card (contentType application/vnd.microsoft.card.adaptive).
 * Version 1.4 renders on every Teams client; the whole post must stay under about 28 KB, so text is cut
 * well before that. TextBlock and Fact values read Markdown: user text is escaped.
 */
import type { FormatContext, Notification } from '../types.ts';
import { contentOf } from './content.ts';
import { escapeMarkdown, fit } from './text.ts';

const COLOURS: Record<string, string> = {
  CRITICAL: 'Attention',
  ERROR: 'Attention',
  WARNING: 'Warning',
  INFO: 'Accent',
  RESOLVED: 'Good',
};

export const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';

export function formatTeams(n: Notification, ctx: FormatContext = {}) {
  const c = contentOf(n, ctx);
  const body: Record<string, unknown>[] = [
    {
      type: 'TextBlock',
      text: `${c.style.emoji} ${fit(c.headline, 400, escapeMarkdown)}`,
      size: 'Large',
      weight: 'Bolder',
      color: COLOURS[c.style.label] ?? 'Default',
      wrap: true,
    },
  ];
  const summary = fit(c.summary, 4000, escapeMarkdown);
  if (summary) body.push({ type: 'TextBlock', text: summary, wrap: true });
  if (c.fields.length > 0)
    body.push({
      type: 'FactSet',
      facts: c.fields.map((f) => ({ title: f.label, value: fit(f.value, 500, escapeMarkdown) })),
    });
  if (c.note) body.push({ type: 'TextBlock', text: escapeMarkdown(c.note), isSubtle: true, size: 'Small', wrap: true });
  const actions = [
    c.runbook ? { type: 'Action.OpenUrl', title: 'Runbook', url: c.runbook } : null,
    c.eventUrl ? { type: 'Action.OpenUrl', title: 'Open in Cairn', url: c.eventUrl } : null,
  ].filter((a) => a !== null);
  return {
    type: 'message',
    attachments: [
      {
        contentType: ADAPTIVE_CARD,
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          msteams: { width: 'Full' },
          body,
          ...(actions.length > 0 ? { actions } : {}),
        },
      },
    ],
  };
}
