/**
 * E-mail: a one-line subject (no CR/LF: no header injection), a plain text part and an HTML part with
 * every user string HTML-escaped. The Message-ID is derived from the notification id, so a resend of the
 * same notification carries the same id and mail clients can spot it.
 */
import type { MailMessage } from '../../../../ports/alerts.ts';
import { stableHash } from '../hash.ts';
import type { FormatContext, Notification } from '../types.ts';
import { contentOf } from './content.ts';
import { escapeHtml, oneLine, truncate } from './text.ts';

const LISTED = 20;

export function formatEmail(n: Notification, to: { from: string; to: string[] }, ctx: FormatContext = {}): MailMessage {
  const c = contentOf(n, ctx);
  const listed = n.events.slice(-LISTED).reverse();
  const line = (e: (typeof listed)[number]) => `${e.receivedAt}  [${e.status}] ${oneLine(e.title)}`;
  const text = [
    `${c.style.label}: ${c.headline}`,
    '',
    truncate(c.summary, 20_000),
    '',
    ...c.fields.map((f) => `${f.label}: ${f.value}`),
    ...(c.note ? ['', c.note] : []),
    ...(c.runbook ? ['', `Runbook: ${c.runbook}`] : []),
    ...(c.eventUrl ? [`Open in Cairn: ${c.eventUrl}`] : []),
    ...(n.events.length > 1 ? ['', `Latest events:`, ...listed.map(line)] : []),
  ].join('\n');
  const link = (href: string, label: string) => `<a href="${escapeHtml(href)}">${label}</a>`;
  const html = [
    `<h2 style="color:${c.style.colour}">${escapeHtml(`${c.style.emoji} ${c.headline}`)}</h2>`,
    `<p style="white-space:pre-wrap">${escapeHtml(truncate(c.summary, 20_000))}</p>`,
    `<table>${c.fields.map((f) => `<tr><th align="left">${f.label}</th><td>${escapeHtml(f.value)}</td></tr>`).join('')}</table>`,
    c.note ? `<p><em>${escapeHtml(c.note)}</em></p>` : '',
    [c.runbook ? link(c.runbook, 'Runbook') : '', c.eventUrl ? link(c.eventUrl, 'Open in Cairn') : '']
      .filter(Boolean)
      .join(' · '),
    n.events.length > 1 ? `<ul>${listed.map((e) => `<li>${escapeHtml(line(e))}</li>`).join('')}</ul>` : '',
  ].join('\n');
  return {
    from: to.from,
    to: to.to,
    subject: truncate(oneLine(`[Cairn] ${c.style.label}: ${c.headline}`), 200),
    text,
    html,
    messageId: `<cairn.${stableHash(n.id)}@cairn.local>`,
  };
}
