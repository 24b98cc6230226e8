/**
 * A real Cairn server as a child process (`node bin/cairn.js serve`), fresh data directory, and the
 * presigned-URL flow a client follows: sign in, create an upload, PUT the bytes, complete, presign.
 */
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { curlPut, type Transfer } from './curl.ts';
import { freePort, removeLater, start, stop, tail, waitForHttp } from './proc.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CairnHandle {
  pid: number;
  url: string;
  /** Creates an upload for `file`, PUTs it through curl (timed) and completes it. */
  upload(file: string, name: string, size: number): Promise<{ fileId: string; sha256: string; put: Transfer }>;
  /** A presigned GET URL for a stored file. */
  presign(fileId: string, expiresInSeconds?: number): Promise<string>;
  close(): Promise<void>;
}

/**
 * `node [nodeArgs] bin/cairn.js serve` on a free port of 127.0.0.1 with its own data directory and a
 * random admin password, resolved once /healthz answers (its stderr tail in the error otherwise).
 */
export async function spawnCairn(o: { dataDir: string; env?: NodeJS.ProcessEnv; nodeArgs?: string[] }) {
  const port = await freePort();
  const password = randomBytes(18).toString('base64url');
  const child = start(process.execPath, [...(o.nodeArgs ?? []), join(ROOT, 'bin/cairn.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...(o.env ?? process.env),
      CAIRN_PORT: String(port),
      CAIRN_HOST: '127.0.0.1',
      CAIRN_DATA_DIR: o.dataDir,
      CAIRN_ADMIN_PASSWORD: password,
      CAIRN_LOG_LEVEL: 'warn',
    },
  });
  const stderr = tail(child, 40);
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitForHttp(`${url}/healthz`, child, 60_000);
  } catch (e) {
    throw new Error(`Cairn did not start: ${(e as Error).message}\n${stderr()}`);
  }
  return { child, url, password, stderr };
}

export async function startCairn(workDir: string): Promise<CairnHandle> {
  const dataDir = removeLater(join(workDir, 'cairn-data'));
  rmSync(dataDir, { recursive: true, force: true });
  const { child, url, password, stderr } = await spawnCairn({
    dataDir,
    env: { ...process.env, CAIRN_MAX_UPLOAD_BYTES: '4GiB' },
  });

  const api = async <T>(path: string, token: string | null, body?: unknown): Promise<T> => {
    const res = await fetch(url + path, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      body: JSON.stringify(body ?? {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${text}\n${stderr()}`);
    return JSON.parse(text) as T;
  };
  const { token } = await api<{ token: string }>('/api/auth/login', null, { username: 'admin', password });

  return {
    pid: child.pid!,
    url,
    async upload(file, name, size) {
      const up = await api<{ fileId: string; uploadUrl: string; headers: Record<string, string> }>(
        '/api/uploads',
        token,
        { name, size, contentType: 'application/octet-stream' },
      );
      const put = await curlPut(up.uploadUrl, file, up.headers);
      const done = await api<{ sha256: string; status: string }>(`/api/uploads/${up.fileId}/complete`, token);
      if (done.status !== 'ready') throw new Error(`upload ${name}: status ${done.status}`);
      return { fileId: up.fileId, sha256: done.sha256, put };
    },
    async presign(fileId, expiresInSeconds = 3600) {
      return (await api<{ url: string }>(`/api/files/${fileId}/presign`, token, { expiresInSeconds })).url;
    },
    close: () => stop(child, 10_000),
  };
}
