import type { AlertsConfig } from '../../../config/alerts.ts';
import type { Clock } from '../../clock.ts';
import { CairnError } from '../../errors.ts';
import type { HttpClient } from '../../../ports/alerts.ts';
import { eventAttributes } from '../attributes.ts';
import { compileFilterPolicy, type CompiledFilterPolicy } from '../filter-policy/index.ts';
import { type EnrichedEvent, type IngestedEvent, SEVERITIES, type Severity } from '../model.ts';
import { asText } from './json-path.ts';
import { TtlCache } from './lookup-cache.ts';
import { type Normalized, normalize } from './normalize.ts';

/** What an enrichment module may return; every field optional. */
export interface EnrichmentPatch {
  title?: string;
  summary?: string;
  severity?: Severity;
  service?: string | null;
  labels?: Record<string, string>;
}
export type EnrichFunction = (
  event: Readonly<EnrichedEvent>,
) => EnrichmentPatch | undefined | Promise<EnrichmentPatch | undefined>;

/** A failure the worker should retry later (an HTTP lookup with `onFailure: retry`). */
export class RetryableEnrichmentError extends CairnError {
  override readonly name = 'RetryableEnrichmentError';
}

/**
 * Config-driven enrichment: normalise the payload, then lookup tables, HTTP lookups (timeout, TTL
 * cache, failure policy), an optional module function, then rules that set labels or severity.
 * Enrichment decides severity and the labels routes and subscriptions match on.
 */
export class Enricher {
  private readonly cache = new TtlCache<Record<string, string> | null>();
  private readonly rules: { match: CompiledFilterPolicy; set: Record<string, string> }[];

  constructor(private readonly d: { config: AlertsConfig; http: HttpClient; clock: Clock; module?: EnrichFunction }) {
    this.rules = d.config.enrich.rules.map((r) => ({
      match: compileFilterPolicy(r.match, 'MessageAttributes'),
      set: r.set,
    }));
  }

  async enrich(ingested: IngestedEvent): Promise<EnrichedEvent> {
    const payload = JSON.parse(ingested.rawBody) as unknown;
    const n: Normalized = normalize(ingested, payload, this.d.config.sources[ingested.source]);
    const enrichment: Record<string, unknown> = {};
    const event: EnrichedEvent = {
      eventId: ingested.eventId,
      source: ingested.source,
      receivedAt: ingested.receivedAt,
      enrichedAt: '',
      ...n,
      enrichment,
      payload,
    };
    this.applyTables(event, enrichment);
    await this.applyHttp(event, enrichment);
    await this.applyModule(event, enrichment);
    this.applyRules(event, enrichment);
    event.enrichedAt = this.d.clock.now().toISOString();
    return event;
  }

  private applyTables(event: EnrichedEvent, enrichment: Record<string, unknown>) {
    for (const table of this.d.config.enrich.tables) {
      const key = event.labels[table.key];
      const row = key === undefined ? undefined : table.values[key];
      if (row) {
        Object.assign(event.labels, row);
        (enrichment.tables ??= []) as unknown[];
        (enrichment.tables as unknown[]).push({ key: table.key, value: key, added: row });
      }
    }
  }

  private async applyHttp(event: EnrichedEvent, enrichment: Record<string, unknown>) {
    for (const lookup of this.d.config.enrich.http) {
      const url = expandTemplate(lookup.url, event);
      if (url === null) continue; // a placeholder's label is missing: nothing to look up
      const now = this.d.clock.now().getTime();
      let found = this.cache.get(url, now);
      if (found === undefined) {
        try {
          const res = await this.d.http.send({
            url,
            method: 'GET',
            headers: { accept: 'application/json', ...lookup.headers },
            timeoutMs: lookup.timeout * 1000,
          });
          if (res.status === 404) found = null;
          else if (res.status >= 200 && res.status < 300) found = flatLabels(JSON.parse(res.body) as unknown);
          else throw new Error(`HTTP ${res.status}`);
          this.cache.set(url, found, lookup.cacheTtl * 1000, now);
        } catch (err) {
          const message = `lookup ${redactQuery(url)} failed: ${err instanceof Error ? err.message : String(err)}`;
          if (lookup.onFailure === 'retry')
            throw new RetryableEnrichmentError('CAIRN_ENRICHMENT_FAILED', 'unavailable', message);
          ((enrichment.errors ??= []) as unknown[]).push(message);
          continue;
        }
      }
      if (found) {
        Object.assign(event.labels, found);
        ((enrichment.http ??= []) as unknown[]).push({ url: redactQuery(url), added: found });
      }
    }
  }

  private async applyModule(event: EnrichedEvent, enrichment: Record<string, unknown>) {
    if (!this.d.module) return;
    try {
      const patch = await this.d.module(structuredClone(event));
      if (!patch) return;
      if (typeof patch.title === 'string') event.title = patch.title.slice(0, 300);
      if (typeof patch.summary === 'string') event.summary = patch.summary.slice(0, 3000);
      if (patch.severity && SEVERITIES.includes(patch.severity)) event.severity = patch.severity;
      if (patch.service !== undefined) event.service = patch.service;
      if (patch.labels) Object.assign(event.labels, flatLabels(patch.labels));
      enrichment.module = patch;
    } catch (err) {
      ((enrichment.errors ??= []) as unknown[]).push(
        `module failed: ${err instanceof Error ? err.message : String(err)}`,
      );
    }
  }

  private applyRules(event: EnrichedEvent, enrichment: Record<string, unknown>) {
    for (const rule of this.rules) {
      if (!rule.match.matches({ messageAttributes: eventAttributes(event) })) continue;
      for (const [k, v] of Object.entries(rule.set)) {
        if (k === 'severity' && (SEVERITIES as readonly string[]).includes(v)) event.severity = v as Severity;
        else event.labels[k] = v;
      }
      ((enrichment.rules ??= []) as unknown[]).push(rule.set);
    }
  }
}

/** `http://cmdb/services/{service}` → the label's value, URL-encoded; null when a label is missing. */
function expandTemplate(template: string, event: EnrichedEvent): string | null {
  let missing = false;
  const fields: Record<string, string | null> = {
    source: event.source,
    severity: event.severity,
    service: event.service,
    fingerprint: event.fingerprint,
  };
  const url = template.replace(/\{([A-Za-z0-9_.-]+)\}/g, (_m, name: string) => {
    const v = event.labels[name] ?? fields[name] ?? null;
    if (v === null) missing = true;
    return encodeURIComponent(v ?? '');
  });
  return missing ? null : url;
}

function flatLabels(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    for (const [k, v] of Object.entries(value)) {
      const text = asText(v);
      if (text !== undefined && /^[A-Za-z0-9_.-]{1,64}$/.test(k)) out[k] = text.slice(0, 1024);
    }
  }
  return out;
}

const redactQuery = (url: string) => url.replace(/\?.*$/, '?…');
