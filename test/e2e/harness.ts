/**
 * Starts the real `cairn serve` as a child process (so these tests do not depend on the server's
 * in-process API), with a fresh data directory, a random admin password and a second user, and
 * launches Debian's Chromium through playwright-core.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const shotsDir = '/tmp/cairn-shots';
const cli = join(repoRoot, 'bin/cairn.js');

export interface Account {
  username: string;
  password: string;
  displayName: string;
}

export interface RunningCairn {
  url: string;
  dataDir: string;
  admin: Account;
  bob: Account;
  /** Everything the server wrote, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the web UI when dist/web is missing or older than a file under src/web. */
export function ensureWebBuild(): void {
  const index = join(repoRoot, 'dist/web/index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(join(repoRoot, 'src/web'))) return;
  const build = spawnSync('npx', ['vite', 'build', '--config', 'src/web/vite.config.ts'], {
    cwd: repoRoot,
    encoding: 'utf8',
  });
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}\n${build.stderr}`);
}

async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => ok(port));
    });
  });
}

async function waitForHealth(url: string, child: ChildProcess, output: () => string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`cairn serve exited with ${child.exitCode}:\n${output()}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`cairn serve did not become healthy within ${timeoutMs} ms:\n${output()}`);
}

function addUser(env: NodeJS.ProcessEnv, user: Account): void {
  const result = spawnSync(process.execPath, [cli, 'user', 'add', user.username, '--display-name', user.displayName], {
    cwd: repoRoot,
    env,
    input: `${user.password}\n`,
    encoding: 'utf8',
  });
  if (result.status !== 0)
    throw new Error(`cairn user add ${user.username} failed:\n${result.stdout}\n${result.stderr}`);
}

export interface StartOptions {
  /** Extra environment for the server and the CLI (CAIRN_CONFIG pointing at a cairn.yaml, say). */
  env?: Record<string, string>;
}

export async function startCairn(options: StartOptions = {}): Promise<RunningCairn> {
  ensureWebBuild();
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'cairn-e2e-'));
  const admin: Account = { username: 'admin', password: randomBytes(12).toString('base64url'), displayName: 'admin' };
  const bob: Account = {
    username: 'bob',
    password: randomBytes(12).toString('base64url'),
    displayName: 'Bob Recipient',
  };
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    CAIRN_HOST: '127.0.0.1',
    CAIRN_PORT: String(port),
    CAIRN_DATA_DIR: dataDir,
    CAIRN_ADMIN_PASSWORD: admin.password,
    CAIRN_LOG_LEVEL: 'warn',
    ...options.env,
  };
  const child = spawn(process.execPath, [cli, 'serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await waitForHealth(url, child, () => log);
    addUser(env, bob);
  } catch (e) {
    await stop();
    throw e;
  }
  return { url, dataDir, admin, bob, output: () => log, stop };
}

export async function launchBrowser(): Promise<Browser> {
  await mkdir(shotsDir, { recursive: true });
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

/** A fresh browser context (its own cookies) on the server, with a page that fails loudly on script errors. */
export async function openPage(
  browser: Browser,
  baseURL: string,
): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
  const context = await browser.newContext({ baseURL, acceptDownloads: true, viewport: { width: 1200, height: 860 } });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  // The server sends a strict CSP: anything the UI does that breaks it (inline script or style) is a bug.
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text());
  });
  return { context, page, errors };
}

export async function signIn(page: Page, account: Account): Promise<void> {
  await page.getByTestId('sign-in-username').fill(account.username);
  await page.getByTestId('sign-in-password').fill(account.password);
  await page.getByTestId('sign-in-submit').click();
  await page.getByTestId('current-user').waitFor();
}

export const shot = (page: Page, name: string) =>
  page.screenshot({ path: join(shotsDir, `${name}.png`), fullPage: true });

/** Calls the API directly with a bearer token (no cookies, so no CSRF check): to set up data fast. */
export async function apiClient(cairn: RunningCairn, account: Account) {
  const login = await fetch(`${cairn.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: account.username, password: account.password }),
  });
  if (!login.ok) throw new Error(`sign-in as ${account.username} failed: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${cairn.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
    return (res.status === 204 ? undefined : await res.json()) as T;
  };
  return {
    call,
    async upload(name: string, bytes: Buffer): Promise<string> {
      const ticket = await call<{
        fileId: string;
        uploadUrl: string;
        method: string;
        headers?: Record<string, string>;
      }>('POST', '/api/uploads', { name, size: bytes.length, contentType: 'application/octet-stream' });
      const put = await fetch(ticket.uploadUrl, {
        method: ticket.method,
        headers: ticket.headers ?? {},
        body: new Uint8Array(bytes),
      });
      if (!put.ok) throw new Error(`upload of ${name}: ${put.status} ${await put.text()}`);
      await call('POST', `/api/uploads/${ticket.fileId}/complete`);
      return ticket.fileId;
    },
  };
}
