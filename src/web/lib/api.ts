import type {
  CompletedFile,
  CreatedShare,
  DownloadRecord,
  NewShare,
  Page,
  Share,
  ShareInfo,
  UploadTicket,
  User,
  UserSummary,
} from './types.ts';

/** A failed API call: the status, and the `{error:{code,message}}` body the API always sends. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds to wait, from `Retry-After` or the error's details, when the API rate-limits (429). */
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}

type Json = Record<string, unknown>;

async function errorFrom(res: Response): Promise<ApiError> {
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `Request failed (${res.status})`;
  let retry: number | null = null;
  try {
    const body = (await res.json()) as { error?: { code?: unknown; message?: unknown; details?: Json } };
    if (typeof body.error?.code === 'string') code = body.error.code;
    if (typeof body.error?.message === 'string') message = body.error.message;
    const fromDetails = body.error?.details?.retryAfterSeconds;
    if (typeof fromDetails === 'number') retry = fromDetails;
  } catch {
    // Not JSON (a proxy's error page, say): keep the status text.
  }
  const header = Number(res.headers.get('retry-after'));
  if (retry === null && Number.isFinite(header) && header > 0) retry = header;
  return new ApiError(res.status, code, message, retry);
}

let onSessionLost: (() => void) | null = null;

/** Called when a signed-in call answers 401: the session expired or was revoked, so sign in again. */
export function setSessionLostHandler(handler: (() => void) | null): void {
  onSessionLost = handler;
}

let accessToken: (() => Promise<string | null>) | null = null;

/**
 * Cognito mode: where the `Authorization: Bearer` access token comes from (the API's JWT authorizer
 * checks it). Locally there is none: the server's HttpOnly cookie carries the session.
 */
export function setAccessTokenProvider(provider: (() => Promise<string | null>) | null): void {
  accessToken = provider;
}

async function authHeaders(headers: Record<string, string>): Promise<Record<string, string>> {
  const token = accessToken ? await accessToken() : null;
  return token ? { ...headers, authorization: `Bearer ${token}` } : headers;
}

/** Paths where a 401 is an expected answer rather than a lost session. */
const isAuthProbe = (path: string) => path.startsWith('/api/auth/') || path.startsWith('/s/');

export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: await authHeaders(
        body === undefined
          ? { accept: 'application/json' }
          : { accept: 'application/json', 'content-type': 'application/json' },
      ),
      body: body === undefined ? null : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    if (res.status === 401 && !isAuthProbe(path)) onSessionLost?.();
    throw await errorFrom(res);
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** A GET whose answer is not JSON (a CSV report, say): the body as a Blob, with the API's errors as ApiError. */
export async function requestBlob(path: string, accept: string): Promise<Blob> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'GET', credentials: 'same-origin', headers: await authHeaders({ accept }) });
  } catch {
    throw new ApiError(0, 'NETWORK', 'Cannot reach the server. Check your connection and try again.');
  }
  if (!res.ok) {
    if (res.status === 401) onSessionLost?.();
    throw await errorFrom(res);
  }
  return res.blob();
}

const q = (value: string) => encodeURIComponent(value);
const withCursor = (path: string, cursor?: string | null) => (cursor ? `${path}?cursor=${q(cursor)}` : path);

export const api = {
  login: (username: string, password: string) =>
    request<{ token: string; expiresAt: string }>('POST', '/api/auth/login', { username, password }),
  me: () => request<User>('GET', '/api/auth/me'),
  logout: () => request<void>('POST', '/api/auth/logout'),
  findUsers: (prefix: string) => request<{ users: UserSummary[] }>('GET', `/api/users?q=${q(prefix)}`),
  startUpload: (file: { name: string; size: number; contentType: string }) =>
    request<UploadTicket>('POST', '/api/uploads', file),
  completeUpload: (fileId: string) => request<CompletedFile>('POST', `/api/uploads/${q(fileId)}/complete`),
  createShare: (share: NewShare) => request<CreatedShare>('POST', '/api/shares', share),
  myShares: (cursor?: string | null) => request<Page<Share>>('GET', withCursor('/api/shares', cursor)),
  received: (cursor?: string | null) => request<Page<Share>>('GET', withCursor('/api/shares/received', cursor)),
  revoke: (id: string) => request<void>('DELETE', `/api/shares/${q(id)}`),
  downloads: (id: string, cursor?: string | null) =>
    request<Page<DownloadRecord>>('GET', withCursor(`/api/shares/${q(id)}/downloads`, cursor)),
  shareInfo: (id: string) => request<ShareInfo>('GET', `/s/${q(id)}/info`),
  unlock: (id: string, password: string) => request<void>('POST', `/s/${q(id)}/unlock`, { password }),
};

/** A message fit to show a person, for any thrown value. */
export function messageOf(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return 'Something went wrong.';
}
