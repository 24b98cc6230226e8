/**
 * HttpClient over fetch (undici). Never throws on an HTTP status: any answer is a result. A request that
 * takes longer than its timeout — headers or body — is aborted (CAIRN_HTTP_TIMEOUT); a failure to
 * connect or a broken stream is CAIRN_HTTP_NETWORK. Errors name the host only: webhook URLs carry
 * secrets in their path. Response bodies are read up to a cap (they only feed error messages).
 */
import { CairnError } from '../../core/errors.ts';
import type { HttpClient, HttpRequestSpec, HttpResult } from '../../ports/alerts.ts';

export const HTTP_TIMEOUT = 'CAIRN_HTTP_TIMEOUT';
export const HTTP_NETWORK = 'CAIRN_HTTP_NETWORK';

export interface FetchHttpClientOptions {
  /** Bytes of response body kept (default 64 KiB); the rest is discarded. */
  maxResponseBytes?: number;
  fetch?: typeof fetch;
}

const hostOf = (url: string) => {
  try {
    return new URL(url).host;
  } catch {
    return 'an invalid URL';
  }
};

const isTimeout = (err: unknown) =>
  err instanceof Error &&
  (err.name === 'TimeoutError' ||
    (err.name === 'AbortError' && err.cause instanceof Error && err.cause.name === 'TimeoutError'));

export class FetchHttpClient implements HttpClient {
  private readonly maxBytes: number;
  private readonly fetch: typeof fetch;

  constructor(options: FetchHttpClientOptions = {}) {
    this.maxBytes = options.maxResponseBytes ?? 64 * 1024;
    this.fetch = options.fetch ?? globalThis.fetch;
  }

  async send(request: HttpRequestSpec): Promise<HttpResult> {
    const signal = AbortSignal.timeout(request.timeoutMs);
    const host = hostOf(request.url);
    try {
      const res = await this.fetch(request.url, {
        method: request.method ?? 'GET',
        headers: request.headers,
        body: request.body,
        signal,
      });
      const headers: Record<string, string> = {};
      res.headers.forEach((value, name) => (headers[name.toLowerCase()] = value));
      return { status: res.status, headers, body: await this.readBody(res) };
    } catch (err) {
      if (signal.aborted || isTimeout(err)) {
        throw new CairnError(HTTP_TIMEOUT, 'unavailable', `${host} did not answer within ${request.timeoutMs} ms`, {
          cause: err,
        });
      }
      const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new CairnError(HTTP_NETWORK, 'unavailable', `request to ${host} failed: ${reason}`, { cause: err });
    }
  }

  private async readBody(res: Response): Promise<string> {
    if (!res.body) return '';
    const reader = res.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
      if (size >= this.maxBytes) {
        await reader.cancel();
        break;
      }
    }
    return Buffer.concat(chunks).subarray(0, this.maxBytes).toString('utf8');
  }
}
