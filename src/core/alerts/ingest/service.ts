/**
 * Accepts a webhook: known source → size → JSON content type → signature over the exact raw bytes →
 * valid UTF-8 JSON → durably queued on `events`, deduplicated by the sender's delivery id. The event id
 * is derived from (source, delivery id), so a redelivery gets the same id even after the first copy
 * left the queue, and history (idempotent by event id) keeps one event.
 */
import { hash } from 'node:crypto';
import type { Clock } from '../../clock.ts';
import { newEventId } from '../../ids.ts';
import type { Queue } from '../../../ports/queue.ts';
import type { IngestedEvent } from '../model.ts';
import { bearerVerifier } from './bearer.ts';
import { bodyTooLarge, invalidDeliveryId, invalidJson, notJson, unknownSource } from './errors.ts';
import { githubVerifier } from './github.ts';
import { resolveSecret, type SecretIo } from './secrets.ts';
import { standardWebhooksKey, standardWebhooksVerifier } from './standard-webhooks.ts';
import { IsoTimeCache } from './iso-time.ts';
import type { HeaderLookup, SignatureVerifier } from './verifier.ts';

/** The part of `alerts.sources.<name>` ingest reads (src/config/alerts.ts). */
export interface IngestSourceConfig {
  verify: {
    scheme: 'standard-webhooks' | 'github' | 'bearer';
    secret?: string | undefined;
    secretEnv?: string | undefined;
    secretFile?: string | undefined;
    /** Seconds; Standard Webhooks only. */
    tolerance: number;
  };
}

export interface WebhookRequest {
  source: string;
  /** Request headers; names are matched case-insensitively. */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body exactly as received. */
  rawBody: Uint8Array;
  receivedAt?: Date;
}

/** Headers that name the delivery, in order of preference. */
const DELIVERY_HEADERS = ['webhook-id', 'idempotency-key', 'x-github-delivery'] as const;
/** Headers kept with the event (never the signature or Authorization). */
const KEPT_HEADERS = ['content-type', 'user-agent', ...DELIVERY_HEADERS, 'webhook-timestamp', 'x-github-event'];
const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json[ \t]*(?:;[ \t]*charset[ \t]*=[ \t]*"?utf-?8"?[ \t]*)?$/i;
const DELIVERY_ID = /^[\x21-\x7e]{1,256}$/;
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

export class IngestService {
  constructor(
    private readonly d: {
      verifiers: ReadonlyMap<string, SignatureVerifier>;
      queue: Queue<IngestedEvent>;
      clock: Clock;
      maxBodyBytes: number;
    },
  ) {}

  private readonly iso = new IsoTimeCache();

  /** Resolves every source's secret now (throwing CAIRN_CONFIG_INVALID naming the key) and builds the service. */
  static create(options: {
    sources: Readonly<Record<string, IngestSourceConfig>>;
    maxBodyBytes: number;
    queue: Queue<IngestedEvent>;
    clock: Clock;
    secrets: SecretIo;
  }): IngestService {
    const verifiers = new Map<string, SignatureVerifier>();
    for (const [name, source] of Object.entries(options.sources)) {
      const path = `alerts.sources.${name}.verify`;
      const secret = resolveSecret(path, source.verify, options.secrets);
      const v = source.verify;
      verifiers.set(
        name,
        v.scheme === 'standard-webhooks'
          ? standardWebhooksVerifier(standardWebhooksKey(secret, path), v.tolerance)
          : v.scheme === 'github'
            ? githubVerifier(secret)
            : bearerVerifier(secret),
      );
    }
    return new IngestService({ ...options, verifiers });
  }

  get maxBodyBytes(): number {
    return this.d.maxBodyBytes;
  }

  /** Throws CAIRN_UNKNOWN_SOURCE, so the HTTP layer can refuse before reading a body. */
  requireSource(source: string): void {
    if (!this.d.verifiers.has(source)) throw unknownSource(source);
  }

  async accept(req: WebhookRequest): Promise<{ eventId: string; duplicate: boolean }> {
    const verifier = this.d.verifiers.get(req.source);
    if (!verifier) throw unknownSource(req.source);
    if (req.rawBody.byteLength > this.d.maxBodyBytes) throw bodyTooLarge(this.d.maxBodyBytes);
    const headers = lowerCaseKeys(req.headers);
    const contentType = headers['content-type'];
    if (!contentType || !JSON_TYPE.test(contentType.trim())) throw notJson(contentType);

    const receivedAt = req.receivedAt ?? this.d.clock.now();
    verifier.verify({ header: lookupIn(headers), rawBody: req.rawBody, now: receivedAt });

    let rawBody: string;
    try {
      rawBody = utf8.decode(req.rawBody);
    } catch {
      throw invalidJson('it is not valid UTF-8');
    }
    try {
      JSON.parse(rawBody.charCodeAt(0) === 0xfeff ? rawBody.slice(1) : rawBody);
    } catch (e) {
      throw invalidJson((e as Error).message);
    }

    let deliveryId: string | null = null;
    for (const name of DELIVERY_HEADERS) {
      const v = headers[name];
      if (v === undefined) continue;
      if (!DELIVERY_ID.test(v)) throw invalidDeliveryId(name);
      deliveryId = v;
      break;
    }
    const eventId = deliveryId === null ? newEventId() : eventIdFor(req.source, deliveryId);
    const kept: Record<string, string> = {};
    for (const h of KEPT_HEADERS) {
      const v = headers[h];
      if (v !== undefined) kept[h] = v.length > 512 ? v.slice(0, 512) : v;
    }
    const event: IngestedEvent = {
      eventId,
      source: req.source,
      receivedAt: this.iso.format(receivedAt),
      deliveryId,
      rawBody,
      headers: kept,
    };
    const sent = await this.d.queue.send(event, deliveryId === null ? {} : { dedupId: `${req.source}:${deliveryId}` });
    return { eventId, duplicate: sent.duplicate };
  }
}

/** The same (source, delivery id) always gives the same event id. */
export function eventIdFor(source: string, deliveryId: string): string {
  return `evt_${hash('sha256', `${source}\n${deliveryId}`, 'base64url').slice(0, 22)}`;
}

/** Made here rather than inline: a closure named by its binding costs a defineProperty per call under tsx. */
function lookupIn(headers: Readonly<Record<string, string | undefined>>): HeaderLookup {
  return (name) => headers[name];
}

function lowerCaseKeys(h: Readonly<Record<string, string | undefined>>): Readonly<Record<string, string | undefined>> {
  for (const k in h) {
    if (k !== k.toLowerCase()) {
      return Object.fromEntries(Object.entries(h).map(([name, v]) => [name.toLowerCase(), v]));
    }
  }
  return h;
}
