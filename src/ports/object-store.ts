/**
 * ObjectStore: where file bytes live. Local: the disk with envelope encryption and HMAC-signed URLs
 * served by the local server. AWS: S3 with SSE-KMS and SigV4 presigned URLs.
 * Bodies are AsyncIterable<Uint8Array> so the core never imports Node streams (a Node Readable is one).
 */
export interface ObjectInfo {
  key: string;
  /** Plaintext size in bytes. */
  size: number;
  /** Hex SHA-256 of the plaintext, computed while the bytes were stored. */
  sha256: string;
  contentType: string;
  createdAt: Date;
}

export interface PutOptions {
  contentType?: string;
  /** When set, a body of any other length is refused and nothing is kept. */
  expectedSize?: number;
}

export type PresignMethod = 'GET' | 'PUT';

export interface PresignRequest {
  method: PresignMethod;
  key: string;
  expiresInSeconds: number;
  /** PUT: the exact body length the URL accepts (S3: content-length-range / signed Content-Length). */
  size?: number;
  /** PUT: the content type the client must send. */
  contentType?: string;
  /** GET: the file name for `Content-Disposition: attachment` (S3: response-content-disposition). */
  downloadName?: string;
  /**
   * An opaque grant the URL was issued under (e.g. `share:ID`). Locally it is signed into the URL and
   * re-checked when the URL is used, so revoking a share stops its URLs at once.
   */
  scope?: string;
}

export interface PresignedUrl {
  url: string;
  method: PresignMethod;
  /** Headers the client must send with the request. */
  headers: Record<string, string>;
  expiresAt: Date;
}

export interface ObjectStore {
  put(key: string, body: AsyncIterable<Uint8Array>, options?: PutOptions): Promise<ObjectInfo>;
  /** Throws CairnError not_found (CAIRN_OBJECT_NOT_FOUND) when absent. */
  get(key: string): Promise<{ info: ObjectInfo; body: AsyncIterable<Uint8Array> }>;
  head(key: string): Promise<ObjectInfo | null>;
  /** Idempotent: deleting a missing key succeeds. */
  delete(key: string): Promise<void>;
  list(
    prefix: string,
    options?: { cursor?: string; limit?: number },
  ): Promise<{ items: ObjectInfo[]; cursor?: string }>;
  presign(request: PresignRequest): Promise<PresignedUrl>;
}
