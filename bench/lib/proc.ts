/**
 * Child processes and scratch files the benchmark owns, and the one cleanup that ends them: it runs on
 * normal exit, on error and on Ctrl-C/SIGTERM, kills only the processes started here (by pid) and
 * removes the registered paths.
 */
import { type ChildProcess, spawn, type SpawnOptions } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createServer } from 'node:net';

const children = new Map<ChildProcess, { group: boolean }>();
const scratch = new Set<string>();
let cleaned = false;
let interrupted = false;

export const log = (msg: string) => process.stderr.write(`${msg}\n`);

/**
 * Spawns a tracked child; its stdout/stderr are piped unless told otherwise. `group` puts it in a
 * process group of its own, signalled as a whole (nginx: killing only the master orphans its workers).
 */
export function start(cmd: string, args: string[], opts: SpawnOptions = {}, group = false): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts, detached: group });
  children.set(child, { group });
  child.once('exit', () => children.delete(child));
  return child;
}

function signal(child: ChildProcess, sig: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(children.get(child)?.group ? -child.pid : child.pid, sig);
  } catch {
    // already gone
  }
}

/** Stops one child: SIGTERM, then SIGKILL after `graceMs`. */
export async function stop(child: ChildProcess, graceMs = 3000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signal(child, 'SIGTERM');
  const timer = setTimeout(() => signal(child, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A path removed (recursively) by the cleanup. */
export function removeLater(path: string): string {
  scratch.add(path);
  return path;
}

/** Synchronous, so it also works from 'exit': kills what is left of ours and removes the scratch paths. */
export function cleanup(): void {
  if (cleaned) return;
  cleaned = true;
  for (const child of children.keys()) signal(child, 'SIGKILL');
  for (const path of scratch) rmSync(path, { recursive: true, force: true });
}

/** Stops every child we started (SIGTERM, SIGKILL after 3 s), then cleans up. */
export async function shutdown(): Promise<void> {
  await Promise.all([...children.keys()].map((c) => stop(c)));
  cleanup();
}

export function installCleanup(): void {
  process.once('exit', cleanup);
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(sig, () => {
      interrupted = true;
      log(`\n${sig}: stopping servers and removing scratch files`);
      void shutdown().finally(() => process.exit(130));
    });
  }
}

/** True once a signal asked us to stop (failures after that are its consequence, not news). */
export const wasInterrupted = () => interrupted;

/** A free loopback TCP port (bound then released; good enough on a quiet machine). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Polls `url` until any HTTP answer other than 503 arrives, or fails after `timeoutMs`. */
export async function waitForHttp(url: string, child: ChildProcess, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${url}: the server exited with code ${child.exitCode}`);
    try {
      const res = await fetch(url);
      await res.arrayBuffer();
      if (res.status !== 503) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url}: no answer within ${timeoutMs} ms`);
}

/** Keeps the last lines a child wrote to stderr, to explain a failure. */
export function tail(child: ChildProcess, lines = 20): () => string {
  const kept: string[] = [];
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    kept.push(...s.split('\n').filter(Boolean));
    kept.splice(0, Math.max(0, kept.length - lines));
  });
  child.stdout?.resume();
  return () => kept.join('\n');
}

/** Runs a command to completion; resolves with stdout, rejects on a non-zero exit. */
export function run(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = start(cmd, args);
    let out = '';
    let err = '';
    child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (err += s));
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${cmd} exited with ${code}: ${err.trim() || out.trim()}`)),
    );
  });
}
