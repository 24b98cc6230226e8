import { ApiError, api } from './api.ts';
import type { CompletedFile, UploadTicket } from './types.ts';

/** Headers a page may not set on an XMLHttpRequest; the browser sets them itself. */
const FORBIDDEN = new Set(['content-length', 'host', 'connection', 'accept-encoding', 'cookie', 'origin', 'referer']);

/** Sends the bytes with XMLHttpRequest, because fetch() cannot report upload progress. */
export function sendBytes(
  ticket: UploadTicket,
  file: Blob,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(ticket.method || 'PUT', ticket.uploadUrl);
    for (const [name, value] of Object.entries(ticket.headers ?? {})) {
      if (!FORBIDDEN.has(name.toLowerCase())) xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        onProgress(file.size, file.size);
        resolve();
        return;
      }
      let message = `Upload failed (${xhr.status})`;
      let code = `HTTP_${xhr.status}`;
      try {
        const body = JSON.parse(xhr.responseText) as { error?: { code?: string; message?: string } };
        if (body.error?.message) message = body.error.message;
        if (body.error?.code) code = body.error.code;
      } catch {
        // Not JSON: keep the generic message.
      }
      reject(new ApiError(xhr.status, code, message));
    };
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'The upload was interrupted. Try again.'));
    xhr.onabort = () => reject(new ApiError(0, 'ABORTED', 'Upload cancelled.'));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}

/** The whole upload of one file: ask for an upload URL, send the bytes, confirm. */
export async function uploadFile(
  file: File,
  onProgress: (loaded: number, total: number) => void,
  signal?: AbortSignal,
): Promise<CompletedFile> {
  const ticket = await api.startUpload({
    name: file.name,
    size: file.size,
    contentType: file.type || 'application/octet-stream',
  });
  await sendBytes(ticket, file, onProgress, signal);
  return api.completeUpload(ticket.fileId);
}
