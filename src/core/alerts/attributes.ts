import type { MessageAttributes } from './filter-policy/index.ts';
import type { EnrichedEvent } from './model.ts';

type AttributeSource = Pick<
  EnrichedEvent,
  'source' | 'severity' | 'status' | 'service' | 'title' | 'fingerprint' | 'labels'
>;

/**
 * An event as SNS message attributes: what route matchers, silences, enrichment rules and subscription
 * filter policies see (docs/hub.md). Labels come first so the built-in fields always win.
 */
export function eventAttributes(e: AttributeSource): MessageAttributes {
  const out: MessageAttributes = {};
  const put = (name: string, value: string | null) => {
    if (value !== null && value !== '') out[name] = { Type: 'String', Value: value };
  };
  for (const [k, v] of Object.entries(e.labels)) put(k, v);
  put('source', e.source);
  put('severity', e.severity);
  put('status', e.status);
  put('service', e.service);
  put('title', e.title);
  put('fingerprint', e.fingerprint);
  return out;
}
