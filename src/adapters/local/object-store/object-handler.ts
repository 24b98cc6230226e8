/**
 * The local runtime's object endpoint (what S3 is for presigned URLs on AWS): a raw Node handler for
 * `/o/...` requests, mounted before the Hono app so object bytes skip the web framework entirely.
 * Every refusal is `{ "error": { "code", "message" } }`. Downloads are always attachments with a
 * sandboxing CSP, so a stored HTML or SVG file can never run in the server's origin.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { systemClock, type Clock } from '../../../core/clock.ts';
import { CairnError, isCairnError } from '../../../core/errors.ts';
import { STATUS_BY_KIND } from '../../../http/error-mapper.ts';
import { silentLogger, type Logger } from '../../../ports/logger.ts';
import type { ObjectInfo, ObjectStore } from '../../../ports/object-store.ts';
import { contentDisposition, safeContentType } from '../../../core/sharing/download-headers.ts';
import { OBJECT_PATH_PREFIX, type SignedGrant, type UrlSigner } from './url-signer.ts';

export interface ObjectRequestHandlerOptions {
  store: ObjectStore;
  signer: UrlSigner;
  clock?: Clock;
  /** Re-checks a URL's grant (e.g. `share:ID`) on every use. Without it, scoped URLs are refused. */
  scopeCheck?: (scope: string) => Promise<boolean>;
  logger?: Logger;
}

export type NodeRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** True when the server should hand the request to the object handler. */
export const isObjectRequest = (url: string | undefined): boolean => url?.startsWith(OBJECT_PATH_PREFIX) ?? false;

/**
 * Bytes handed to Node but not yet to the kernel, shared by all downloads: a lone download may queue
 * 1 MiB, hundreds of concurrent ones 128 KiB each (see BoundedResponse).
 */
const PENDING_BUDGET = 16 << 20;
const pendingLimit = (downloads: number) => Math.min(1 << 20, Math.max(128 << 10, PENDING_BUDGET / downloads));
let downloads = 0;

/**
 * The response as a pipeline destination that keeps a bounded number of bytes queued in Node. The
 * server runs with a 1 MiB highWaterMark (for upload speed), which would otherwise let every slow
 * download pin a megabyte or more of memory.
 */
class BoundedResponse extends Writable {
  private pending = 0;
  private blocked: (() => void) | undefined;

  constructor(private readonly res: ServerResponse) {
    super({ highWaterMark: 1 });
    res.once('close', () => {
      if (!res.writableFinished) this.destroy(new Error('the client closed the connection'));
    });
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pending += chunk.length;
    this.res.write(chunk, () => {
      this.pending -= chunk.length;
      const resume = this.blocked;
      if (resume && this.pending < pendingLimit(downloads)) {
        this.blocked = undefined;
        resume();
      }
    });
    if (this.pending < pendingLimit(downloads)) callback();
    else this.blocked = () => callback();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.res.end(() => callback());
  }
}

class HttpRefusal extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

const REFUSALS = {
  signature: new HttpRefusal(403, 'CAIRN_SIGNATURE_INVALID', 'The URL signature is invalid.'),
  expired: new HttpRefusal(403, 'CAIRN_URL_EXPIRED', 'The URL has expired.'),
} as const;

export function createObjectRequestHandler(options: ObjectRequestHandlerOptions): NodeRequestHandler {
  const { store, signer, scopeCheck } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;

  const authorize = async (req: IncomingMessage): Promise<SignedGrant> => {
    const method = req.method ?? '';
    const verdict = signer.verify(method, req.url ?? '', clock.now());
    if (!verdict.ok) {
      if (verdict.reason !== 'method') throw REFUSALS[verdict.reason];
      throw new HttpRefusal(405, 'CAIRN_METHOD_NOT_ALLOWED', `This URL does not allow ${method}.`, {
        Allow: verdict.allowed === 'GET' ? 'GET, HEAD' : 'PUT',
      });
    }
    const { scope } = verdict.grant;
    if (scope !== undefined && !(scopeCheck && (await scopeCheck(scope)))) {
      throw new HttpRefusal(403, 'CAIRN_GRANT_REVOKED', 'The access this URL was issued under has been revoked.');
    }
    return verdict.grant;
  };

  return async (req, res) => {
    res.on('error', () => {}); // a vanished client is handled where the stream fails
    try {
      const grant = await authorize(req);
      if (grant.method === 'PUT') await upload(req, res, grant);
      else await download(req, res, grant);
    } catch (e) {
      refuse(req, res, e, logger);
    }
  };

  async function download(req: IncomingMessage, res: ServerResponse, grant: SignedGrant): Promise<void> {
    if (req.method === 'HEAD') {
      const info = await store.head(grant.key);
      if (!info) throw new CairnError('CAIRN_OBJECT_NOT_FOUND', 'not_found', 'No object has this key.');
      res.writeHead(200, downloadHeaders(info, grant)).end();
      return;
    }
    const { info, body } = await store.get(grant.key);
    downloads += 1;
    try {
      res.writeHead(200, downloadHeaders(info, grant));
      await pipeline(body, new BoundedResponse(res));
    } catch (e) {
      void body[Symbol.asyncIterator]().return?.(); // releases the file if the pipeline never started
      // Headers (and maybe bytes) are out: the only honest signal left is an aborted transfer.
      res.destroy();
      if (isCairnError(e)) logger.error({ key: grant.key, code: e.code }, 'object download aborted');
      else logger.debug({ key: grant.key, err: (e as Error).message }, 'object download interrupted');
    } finally {
      downloads -= 1;
    }
  }

  async function upload(req: IncomingMessage, res: ServerResponse, grant: SignedGrant): Promise<void> {
    const expected = grant.size ?? 0;
    const declared = req.headers['content-length'];
    if (declared === undefined) throw new HttpRefusal(411, 'CAIRN_LENGTH_REQUIRED', 'Send a Content-Length header.');
    const length = /^[0-9]{1,16}$/.test(declared) ? Number(declared) : NaN;
    if (length > expected) {
      throw new HttpRefusal(413, 'CAIRN_UPLOAD_TOO_LARGE', `This URL accepts exactly ${expected} bytes.`);
    }
    if (length !== expected) {
      throw new HttpRefusal(400, 'CAIRN_UPLOAD_SIZE_MISMATCH', `This URL accepts exactly ${expected} bytes.`);
    }
    if (grant.contentType !== undefined && req.headers['content-type'] !== grant.contentType) {
      throw new HttpRefusal(400, 'CAIRN_CONTENT_TYPE_MISMATCH', `Send Content-Type: ${grant.contentType}.`);
    }
    let info: ObjectInfo | undefined;
    await pipeline(req, async (source: AsyncIterable<Uint8Array>) => {
      info = await store.put(grant.key, source, { contentType: grant.contentType, expectedSize: expected });
    });
    if (!info) throw new Error('upload finished without a result');
    sendJson(res, 200, { key: info.key, size: info.size, sha256: info.sha256 }, { ETag: `"${info.sha256}"` });
  }
}

function refuse(req: IncomingMessage, res: ServerResponse, e: unknown, logger: Logger): void {
  let status = 500;
  let code = 'CAIRN_INTERNAL';
  let message = 'The object request failed.';
  let headers: Record<string, string> = {};
  if (e instanceof HttpRefusal) ({ status, code, message, headers } = e);
  else if (isCairnError(e)) {
    status = STATUS_BY_KIND[e.kind];
    code = e.code;
    if (status < 500) message = e.message;
  }
  const fields = { method: req.method, status, code };
  if (status >= 500) logger.error({ ...fields, err: (e as Error)?.message }, 'object request failed');
  else logger.info(fields, 'object request refused');
  if (res.headersSent || res.destroyed) {
    res.destroy();
    return;
  }
  // The unread body of a refused upload is not worth draining: close the connection after answering.
  if (!req.complete) headers = { ...headers, Connection: 'close' };
  sendJson(res, status, { error: { code, message } }, headers);
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  });
  res.end(text);
}

function downloadHeaders(info: ObjectInfo, grant: SignedGrant): Record<string, string | number> {
  return {
    'Content-Type': safeContentType(info.contentType),
    'Content-Length': info.size,
    'Content-Disposition': contentDisposition(grant.downloadName ?? grant.key.split('/').pop() ?? ''),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Cache-Control': 'private, no-store',
    'Referrer-Policy': 'no-referrer',
    ETag: `"${info.sha256}"`,
    'Last-Modified': info.createdAt.toUTCString(),
    'Accept-Ranges': 'none',
  };
}
