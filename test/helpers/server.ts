import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ManualClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { loadConfig } from '../../src/config/load.ts';
import { type RunningServer, startServer } from '../../src/runtime/local/server.ts';

export const ADMIN_PASSWORD = 'admin-password-for-tests';

export interface TestServer extends RunningServer {
  dataDir: string;
  clock: ManualClock;
  /** Signs in and returns a bearer token. */
  login(username?: string, password?: string): Promise<string>;
  /** Adds a user through the core service; returns their token. */
  addUser(username: string, password?: string, displayName?: string): Promise<string>;
  api(path: string, init?: RequestInit & { token?: string; json?: unknown }): Promise<Response>;
  /** Upload through the presigned URL flow; returns the fileId. */
  upload(token: string, name: string, bytes: Uint8Array | string, contentType?: string): Promise<string>;
  stop(): Promise<void>;
}

/** A real Cairn server on a random port with its own data directory and a clock the test moves. */
export async function startTestServer(env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), 'cairn-test-'));
  const fullEnv = { CAIRN_DATA_DIR: dataDir, CAIRN_PORT: '0', CAIRN_ADMIN_PASSWORD: ADMIN_PASSWORD, ...env };
  const config = loadConfig(fullEnv);
  const clock = new ManualClock(new Date());
  const server = await startServer(config, { logger: silentLogger, env: fullEnv, sweep: false, clock });

  const api: TestServer['api'] = (path, init = {}) => {
    const headers = new Headers(init.headers);
    if (init.token) headers.set('authorization', `Bearer ${init.token}`);
    let body = init.body;
    if (init.json !== undefined) {
      headers.set('content-type', 'application/json');
      body = JSON.stringify(init.json);
    }
    return fetch(server.url + path, { ...init, headers, body, redirect: 'manual' });
  };

  const login = async (username = 'admin', password = ADMIN_PASSWORD) => {
    const res = await api('/api/auth/login', { method: 'POST', json: { username, password } });
    if (res.status !== 200) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { token: string }).token;
  };

  return {
    ...server,
    dataDir,
    clock,
    api,
    login,
    async addUser(username, password = `${username}-password`, displayName) {
      await server.services.users.addUser({ username, password, ...(displayName ? { displayName } : {}) });
      return login(username, password);
    },
    async upload(token, name, bytes, contentType = 'application/octet-stream') {
      const data = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
      const res = await api('/api/uploads', { method: 'POST', token, json: { name, size: data.length, contentType } });
      if (res.status !== 201) throw new Error(`upload ${name}: ${res.status} ${await res.text()}`);
      const up = (await res.json()) as {
        fileId: string;
        uploadUrl: string;
        method: string;
        headers: Record<string, string>;
      };
      const put = await fetch(up.uploadUrl, { method: up.method, headers: up.headers, body: Buffer.from(data) });
      if (put.status !== 200) throw new Error(`PUT ${name}: ${put.status} ${await put.text()}`);
      const done = await api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token });
      if (done.status !== 200) throw new Error(`complete ${name}: ${done.status} ${await done.text()}`);
      return up.fileId;
    },
    async stop() {
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
