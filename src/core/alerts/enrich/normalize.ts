import { createHash } from 'node:crypto';
import type { SourceConfig } from '../../../config/alerts.ts';
import type { EventStatus, IngestedEvent, Severity } from '../model.ts';
import { asText, readPath } from './json-path.ts';

const SEVERITY_WORDS: Record<string, Severity> = {
  critical: 'critical',
  crit: 'critical',
  fatal: 'critical',
  emergency: 'critical',
  emerg: 'critical',
  alert: 'critical',
  p1: 'critical',
  sev1: 'critical',
  error: 'error',
  err: 'error',
  high: 'error',
  major: 'error',
  p2: 'error',
  sev2: 'error',
  warning: 'warning',
  warn: 'warning',
  medium: 'warning',
  minor: 'warning',
  p3: 'warning',
  sev3: 'warning',
  info: 'info',
  informational: 'info',
  notice: 'info',
  low: 'info',
  ok: 'info',
  debug: 'info',
  p4: 'info',
  p5: 'info',
  sev4: 'info',
};

/** Where to look when a source's config names no field: the usual spellings of common tools. */
const DEFAULTS = {
  title: [
    '$.title',
    '$.alertname',
    '$.labels.alertname',
    '$.commonLabels.alertname',
    '$.name',
    '$.summary',
    '$.message',
    '$.detail-type',
    '$.type',
  ],
  summary: [
    '$.summary',
    '$.description',
    '$.message',
    '$.annotations.summary',
    '$.commonAnnotations.summary',
    '$.text',
  ],
  severity: ['$.severity', '$.level', '$.priority', '$.labels.severity', '$.commonLabels.severity'],
  status: ['$.status', '$.state', '$.event_action'],
  service: ['$.service', '$.labels.service', '$.commonLabels.service', '$.component', '$.app'],
  fingerprint: ['$.fingerprint', '$.dedup_key', '$.incident_key', '$.groupKey'],
};

export interface Normalized {
  title: string;
  summary: string;
  severity: Severity;
  status: EventStatus;
  service: string | null;
  fingerprint: string;
  labels: Record<string, string>;
}

type Field = keyof typeof DEFAULTS;

function pick(payload: unknown, field: Field, config: SourceConfig | undefined): string | undefined {
  const configured = config?.fields[field];
  const paths = configured ? [configured] : DEFAULTS[field];
  for (const p of paths) {
    const v = asText(readPath(payload, p));
    if (v !== undefined && v.trim() !== '') return v.trim();
  }
  return undefined;
}

export function toSeverity(raw: string | undefined, config: SourceConfig | undefined): Severity {
  if (raw === undefined) return config?.defaultSeverity ?? 'warning';
  const mapped = config?.severityMap[raw] ?? SEVERITY_WORDS[raw.toLowerCase()];
  return mapped ?? config?.defaultSeverity ?? 'warning';
}

/** Turns a source's payload into the hub's fields, per the source's `fields` config or common names. */
export function normalize(event: IngestedEvent, payload: unknown, config: SourceConfig | undefined): Normalized {
  const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n - 1) + '…' : s);
  const title = clip(pick(payload, 'title', config) ?? `${event.source} event`, 300);
  const service = pick(payload, 'service', config) ?? null;
  const status = pick(payload, 'status', config);
  const resolvedValues = config?.resolvedValues ?? ['resolved', 'ok', 'OK', 'RESOLVED'];
  const fingerprint =
    pick(payload, 'fingerprint', config) ??
    createHash('sha256')
      .update(`${event.source}\u0000${title}\u0000${service ?? ''}`)
      .digest('hex')
      .slice(0, 32);
  return {
    title,
    summary: clip(pick(payload, 'summary', config) ?? '', 3000),
    severity: toSeverity(pick(payload, 'severity', config), config),
    status: status !== undefined && resolvedValues.includes(status) ? 'resolved' : 'firing',
    service,
    fingerprint,
    labels: { ...(config?.labels ?? {}), ...(service ? { service } : {}) },
  };
}
