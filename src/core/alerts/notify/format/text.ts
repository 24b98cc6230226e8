/**
 * Escaping and truncation shared by the formatters. User text (titles, summaries, labels) is escaped
 * for the target's markup, then cut to the target API's limit without splitting a character or an
 * escape sequence.
 */

/** Slack mrkdwn: only &, < and > are control characters (they start entities, links and mentions). */
export const escapeSlack = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const escapeHtml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

/**
 * Markdown as Mattermost and Teams read it: backslash-escape the characters that start emphasis, code,
 * links, headings, tables and HTML, and break @-mentions (`@channel`, `@all`) with a zero-width space.
 */
export const escapeMarkdown = (s: string): string =>
  s.replace(/[\\`*_~[\]()<>#|!]/g, (c) => `\\${c}`).replace(/@(?=\w)/g, '@\u200b');

/** One line: newlines and other control characters become spaces (subjects, headers, titles). */
export const oneLine = (s: string): string => s.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();

/** Cuts to at most `max` UTF-16 code units, never inside a surrogate pair, ending with `…` when cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return max === 1 ? '…' : '';
  let end = max - 1;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}…`;
}

/** Escapes `raw` with `escape` and fits it in `max`, cutting the raw text (never an escape) when needed. */
export function fit(raw: string, max: number, escape: (s: string) => string = (s) => s): string {
  let out = escape(raw);
  // Escaping never shrinks text, so start at `max` raw characters and shrink in proportion to the excess.
  let cut = Math.min(raw.length, max);
  if (out.length > max) out = escape(truncate(raw, cut));
  while (out.length > max && cut > 0) {
    cut = Math.max(0, Math.min(cut - 1, Math.floor((cut * max) / out.length)));
    out = escape(truncate(raw, cut));
  }
  return out;
}

/** An http(s) URL as a string, or null: only those become links and buttons. */
export function safeUrl(value: string | undefined | null, maxLength = 2000): string | null {
  if (!value || value.length > maxLength) return null;
  try {
    const url = new URL(value.trim());
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}

/** A URL safe inside Markdown's `[text](url)`: parentheses and spaces percent-encoded. */
export const markdownUrl = (url: string): string =>
  url.replace(/[()\s<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
