/**
 * The format-neutral content of a notification: headline, fields, links. Each formatter renders it in
 * its own markup and limits, so every channel says the same thing.
 */
import type { Severity } from '../../model.ts';
import type { FormatContext, Notification } from '../types.ts';
import { oneLine, safeUrl } from './text.ts';

export interface Style {
  label: string;
  emoji: string;
  /** Slack shortcode for the emoji. */
  shortcode: string;
  colour: string;
}

const SEVERITY_STYLES: Record<Severity, Style> = {
  critical: { label: 'CRITICAL', emoji: '🔴', shortcode: ':red_circle:', colour: '#D00000' },
  error: { label: 'ERROR', emoji: '🟠', shortcode: ':large_orange_circle:', colour: '#E8590C' },
  warning: { label: 'WARNING', emoji: '🟡', shortcode: ':large_yellow_circle:', colour: '#F2C744' },
  info: { label: 'INFO', emoji: '🔵', shortcode: ':large_blue_circle:', colour: '#439FE0' },
};
const RESOLVED_STYLE: Style = { label: 'RESOLVED', emoji: '✅', shortcode: ':white_check_mark:', colour: '#2EB67D' };

export interface Content {
  style: Style;
  /** Plain, one line: "Disk full on db-1 (×500)", "Resolved: Disk full on db-1". */
  headline: string;
  title: string;
  summary: string;
  /** "500 events grouped", "still firing", or null for a single new event. */
  note: string | null;
  /** Label → value, only those present. */
  fields: { label: string; value: string }[];
  runbook: string | null;
  eventUrl: string | null;
}

export function contentOf(n: Notification, ctx: FormatContext = {}): Content {
  const e = n.latest;
  const resolved = n.status === 'resolved';
  const title = oneLine(e.title) || '(untitled event)';
  const times = n.count > 1 ? ` (×${n.count})` : '';
  const headline = `${resolved ? 'Resolved: ' : ''}${title}${times}${n.repeat ? ' — still firing' : ''}`;
  const notes = [n.count > 1 ? `${n.count} events grouped` : null, n.repeat ? 'still firing' : null].filter(Boolean);
  const fields = [
    { label: 'Severity', value: e.severity },
    { label: 'Service', value: e.service ?? '' },
    { label: 'Source', value: e.source },
    { label: 'Team', value: e.labels.team ?? '' },
    { label: 'Environment', value: e.labels.env ?? '' },
  ].filter((f) => f.value !== '');
  return {
    style: resolved ? RESOLVED_STYLE : SEVERITY_STYLES[e.severity],
    headline,
    title,
    summary: e.summary,
    note: notes.length > 0 ? notes.join(' · ') : null,
    fields,
    runbook: safeUrl(e.labels.runbook),
    eventUrl: ctx.eventUrl ? safeUrl(ctx.eventUrl(e.eventId)) : null,
  };
}
