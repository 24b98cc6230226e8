/**
 * HMAC-SHA256 presigned URLs for the local server (the local twin of S3 SigV4 query signing):
 *
 *   {baseUrl}/o/{key, each segment percent-encoded}?X-Cairn-Method=GET&X-Cairn-Expires=1767225600
 *     [&X-Cairn-Size=..][&X-Cairn-Content-Type=..][&X-Cairn-Name=..][&X-Cairn-Scope=..]&X-Cairn-Signature=<hex>
 *
 * The signature covers a JSON array of every field (JSON is an unambiguous encoding: no field can
 * bleed into the next, and "absent" differs from "empty"). Verification also demands that the URL
 * is byte-for-byte the canonical one for what it carries, so there is exactly one spelling of each
 * grant and changing any character of the path or query makes it fail. The encoding keeps only RFC
 * 3986 unreserved characters literal, so WHATWG URL parsing (browsers, fetch) leaves it unchanged.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { invalid } from '../../../core/errors.ts';
import { strictEncode } from '../../../core/sharing/download-headers.ts';
import { systemClock, type Clock } from '../../../core/clock.ts';
import type { PresignMethod, PresignRequest, PresignedUrl } from '../../../ports/object-store.ts';

/** Like S3: a presigned URL lives at most 7 days. */
export const MAX_EXPIRES_IN_SECONDS = 604_800;
export const OBJECT_PATH_PREFIX = '/o/';
const SIGNATURE_VERSION = 'cairn-url-v1';

const PARAMS = {
  method: 'X-Cairn-Method',
  expires: 'X-Cairn-Expires',
  size: 'X-Cairn-Size',
  contentType: 'X-Cairn-Content-Type',
  name: 'X-Cairn-Name',
  scope: 'X-Cairn-Scope',
  signature: 'X-Cairn-Signature',
} as const;

/** What a valid URL grants, as signed. */
export interface SignedGrant {
  method: PresignMethod;
  key: string;
  expiresAt: Date;
  size?: number;
  contentType?: string;
  downloadName?: string;
  scope?: string;
}

export type VerifyFailure = 'signature' | 'expired' | 'method';
export type VerifyResult =
  | { ok: true; grant: SignedGrant }
  | { ok: false; reason: 'signature' | 'expired' }
  /** The URL is genuine and current but was signed for `allowed`. */
  | { ok: false; reason: 'method'; allowed: PresignMethod };

export interface UrlSignerOptions {
  /** e.g. http://localhost:8787 (no trailing slash needed). */
  baseUrl: string;
  /** At least 32 bytes; LocalKeyService.urlSigningKey(). */
  key: Uint8Array;
  clock?: Clock;
}

export const encodeKeyPath = (key: string): string => key.split('/').map(strictEncode).join('/');

interface Fields {
  method: string;
  key: string;
  expires: number;
  size?: number;
  contentType?: string;
  name?: string;
  scope?: string;
}

export class UrlSigner {
  readonly baseUrl: string;
  private readonly key: Buffer;
  private readonly clock: Clock;

  constructor(options: UrlSignerOptions) {
    if (options.key.length < 32) throw new RangeError('the URL signing key must be at least 32 bytes');
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
    this.key = Buffer.from(options.key);
    this.clock = options.clock ?? systemClock;
  }

  sign(request: PresignRequest): PresignedUrl {
    const seconds = request.expiresInSeconds;
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > MAX_EXPIRES_IN_SECONDS) {
      throw invalid(
        'CAIRN_INVALID_EXPIRY',
        `expiresInSeconds must be a whole number from 1 to ${MAX_EXPIRES_IN_SECONDS} (7 days).`,
      );
    }
    if (request.method !== 'GET' && request.method !== 'PUT') {
      throw invalid('CAIRN_INVALID_METHOD', 'A presigned URL is for GET or PUT.');
    }
    if (request.size !== undefined && (!Number.isSafeInteger(request.size) || request.size < 0)) {
      throw invalid('CAIRN_INVALID_SIZE', 'size must be a non-negative integer.');
    }
    if (request.method === 'PUT' && request.size === undefined) {
      throw invalid('CAIRN_PRESIGN_SIZE_REQUIRED', 'A presigned PUT must fix the body size.');
    }
    const fields: Fields = {
      method: request.method,
      key: request.key,
      expires: Math.floor(this.clock.now().getTime() / 1000) + seconds,
      size: request.size,
      contentType: request.contentType,
      name: request.downloadName,
      scope: request.scope,
    };
    const headers: Record<string, string> = {};
    if (request.method === 'PUT' && request.contentType !== undefined) headers['Content-Type'] = request.contentType;
    return {
      url: this.baseUrl + canonicalTarget(fields, this.mac(fields).toString('hex')),
      method: request.method,
      headers,
      expiresAt: new Date(fields.expires * 1000),
    };
  }

  /**
   * Checks a request target (`req.url`: path and query, as received) for `method`. HEAD is allowed
   * where GET was signed. Checks run signature first, so nothing is learnt from an unsigned URL.
   */
  verify(method: string, target: string, now: Date = this.clock.now()): VerifyResult {
    const fields = parseTarget(target);
    const given = fields && /^[0-9a-f]{64}$/.test(fields.signature) ? Buffer.from(fields.signature, 'hex') : undefined;
    const expected = this.mac(fields ?? { method: '', key: '', expires: 0 });
    if (
      !fields ||
      !given ||
      !timingSafeEqual(given, expected) ||
      canonicalTarget(fields, fields.signature) !== target
    ) {
      return { ok: false, reason: 'signature' };
    }
    if (Math.floor(now.getTime() / 1000) >= fields.expires) return { ok: false, reason: 'expired' };
    const asked = method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase();
    if (asked !== fields.method) return { ok: false, reason: 'method', allowed: fields.method as PresignMethod };
    const grant: SignedGrant = {
      method: fields.method as PresignMethod,
      key: fields.key,
      expiresAt: new Date(fields.expires * 1000),
    };
    if (fields.size !== undefined) grant.size = fields.size;
    if (fields.contentType !== undefined) grant.contentType = fields.contentType;
    if (fields.name !== undefined) grant.downloadName = fields.name;
    if (fields.scope !== undefined) grant.scope = fields.scope;
    return { ok: true, grant };
  }

  private mac(f: Fields): Buffer {
    const canonical = JSON.stringify([
      SIGNATURE_VERSION,
      f.method,
      f.key,
      f.expires,
      f.size ?? null,
      f.contentType ?? null,
      f.name ?? null,
      f.scope ?? null,
    ]);
    return createHmac('sha256', this.key).update(canonical, 'utf8').digest();
  }
}

function canonicalTarget(f: Fields, signature: string): string {
  const q: string[] = [`${PARAMS.method}=${strictEncode(f.method)}`, `${PARAMS.expires}=${f.expires}`];
  if (f.size !== undefined) q.push(`${PARAMS.size}=${f.size}`);
  if (f.contentType !== undefined) q.push(`${PARAMS.contentType}=${strictEncode(f.contentType)}`);
  if (f.name !== undefined) q.push(`${PARAMS.name}=${strictEncode(f.name)}`);
  if (f.scope !== undefined) q.push(`${PARAMS.scope}=${strictEncode(f.scope)}`);
  q.push(`${PARAMS.signature}=${signature}`);
  return `${OBJECT_PATH_PREFIX}${encodeKeyPath(f.key)}?${q.join('&')}`;
}

/** Parses leniently; `verify` then insists the target is the canonical spelling of what was parsed. */
function parseTarget(target: string): (Fields & { signature: string }) | undefined {
  const qAt = target.indexOf('?');
  if (qAt < 0 || !target.startsWith(OBJECT_PATH_PREFIX)) return undefined;
  try {
    const key = target.slice(OBJECT_PATH_PREFIX.length, qAt).split('/').map(decodeURIComponent).join('/');
    const values = new Map<string, string>();
    for (const pair of target.slice(qAt + 1).split('&')) {
      const eq = pair.indexOf('=');
      if (eq < 0) return undefined;
      values.set(pair.slice(0, eq), decodeURIComponent(pair.slice(eq + 1)));
    }
    const num = (s: string | undefined) =>
      s !== undefined && /^(0|[1-9][0-9]{0,15})$/.test(s) ? Number(s) : undefined;
    const method = values.get(PARAMS.method);
    const expires = num(values.get(PARAMS.expires));
    const signature = values.get(PARAMS.signature);
    if (method === undefined || expires === undefined || signature === undefined) return undefined;
    const sizeText = values.get(PARAMS.size);
    const size = num(sizeText);
    if (sizeText !== undefined && size === undefined) return undefined;
    return {
      method,
      key,
      expires,
      size,
      contentType: values.get(PARAMS.contentType),
      name: values.get(PARAMS.name),
      scope: values.get(PARAMS.scope),
      signature,
    };
  } catch {
    return undefined; // malformed percent-encoding
  }
}
