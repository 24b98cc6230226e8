import { expect } from 'vitest';
import type { TestServer } from './server.ts';

export type Json = Record<string, any>;

/**
 * Asserts an exact status and error code together, so a failure shows both (and the body) at once.
 * Returns the parsed body for further checks.
 */
export async function expectError(res: Response, status: number, code: string): Promise<Json> {
  const text = await res.text();
  let body: Json = {};
  try {
    body = JSON.parse(text) as Json;
  } catch {
    // not JSON: the comparison below shows the raw text
  }
  expect({ status: res.status, code: body.error?.code }, `body: ${text.slice(0, 400)}`).toEqual({ status, code });
  return body;
}

/** Creates a share as `token`'s user and returns its JSON view (with `url`). */
export async function createShare(s: TestServer, token: string, input: Json): Promise<Json> {
  const res = await s.api('/api/shares', { method: 'POST', token, json: input });
  if (res.status !== 201) throw new Error(`create share: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
}

/** Starts an upload (POST /api/uploads) without sending the bytes. */
export async function startUpload(s: TestServer, token: string, input: Json): Promise<Json> {
  const res = await s.api('/api/uploads', { method: 'POST', token, json: input });
  if (res.status !== 201) throw new Error(`start upload: ${res.status} ${await res.text()}`);
  return (await res.json()) as Json;
}

/** The presigned object URL a share download redirects to. */
export async function downloadLocation(s: TestServer, path: string, init: { token?: string } = {}): Promise<string> {
  const res = await s.api(path, init);
  if (res.status !== 302) throw new Error(`${path}: expected a redirect, got ${res.status} ${await res.text()}`);
  return res.headers.get('location')!;
}

export const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Another base62 character than `c` (the next one, wrapping). */
export const otherBase62 = (c: string) => ALPHABET[(ALPHABET.indexOf(c) + 1) % ALPHABET.length]!;
