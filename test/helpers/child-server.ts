/**
 * The real `cairn` binary as a child process: `serve` on a chosen port and data directory (to kill it
 * with SIGKILL and start it again), and one-shot CLI commands.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

export const repoRoot = resolve(import.meta.dirname, '../..');
export const cli = join(repoRoot, 'bin/cairn.js');

/** The environment of a child: this process's, without any CAIRN_* setting that could leak in. */
export function cairnEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CAIRN_')) env[k] = v;
  return { ...env, CAIRN_LOG_LEVEL: 'warn', ...extra };
}

export function freePort(): Promise<number> {
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

export interface ChildServer {
  url: string;
  child: ChildProcess;
  output(): string;
  /** SIGKILL: no cleanup, no graceful close — a crash. */
  kill9(): Promise<void>;
  stop(): Promise<void>;
}

export async function spawnServer(env: NodeJS.ProcessEnv, port: number, timeoutMs = 30_000): Promise<ChildServer> {
  const child = spawn(process.execPath, [cli, 'serve'], { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = () => child.exitCode !== null || child.signalCode !== null;
  const stopWith = async (signal: NodeJS.Signals) => {
    if (exited()) return;
    const done = once(child, 'exit');
    child.kill(signal);
    await done;
  };
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited()) throw new Error(`cairn serve exited (${child.exitCode ?? child.signalCode}):\n${out}`);
    try {
      if ((await fetch(`${url}/healthz`)).status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stopWith('SIGKILL');
      throw new Error(`cairn serve was not healthy within ${timeoutMs} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, child, output: () => out, kill9: () => stopWith('SIGKILL'), stop: () => stopWith('SIGTERM') };
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs `node bin/cairn.js …args` to its end, with `input` on standard input. A command still running
 * after `timeoutMs` is killed (its code is then null), so a server that should not have started
 * cannot hang a test.
 */
export async function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  input = '',
  timeoutMs = 25_000,
): Promise<CliResult> {
  const child = spawn(process.execPath, [cli, ...args], { cwd: repoRoot, env, stdio: ['pipe', 'pipe', 'pipe'] });
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  child.stdin.end(input);
  const [code] = (await once(child, 'close')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}
