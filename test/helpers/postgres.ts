/**
 * A private, throwaway Postgres cluster for tests and benchmarks: `initdb` into a temp directory, a
 * server on a random free port on 127.0.0.1 only (its Unix socket inside that directory), trust auth
 * for the role `cairn`, fsync off. stop() kills the server and removes the directory.
 *
 * Debian's server refuses to run as root, so when this process is root every server binary runs as the
 * `postgres` user (spawn's uid/gid) and the directory is handed to it. Install the server with
 * `apt-get install -y postgresql` (its binaries live in /usr/lib/postgresql/<major>/bin).
 */
import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './child-server.ts';

export interface PgCluster {
  /** postgres://cairn@127.0.0.1:PORT/cairn */
  url: string;
  port: number;
  binDir: string;
  dir: string;
  /** A URL for another database of this cluster (created with createDatabase). */
  urlFor(database: string): string;
  createDatabase(name: string): Promise<string>;
  /** Runs SQL on the `cairn` database (or another) and returns the rows. */
  sql<T extends Record<string, unknown> = Record<string, unknown>>(
    text: string,
    params?: unknown[],
    database?: string,
  ): Promise<T[]>;
  /** Stops the server at once (`-m immediate`: connections drop as in a crash); the data stays. */
  crash(): Promise<void>;
  /** Starts the server again on the same port after crash(). */
  restart(): Promise<void>;
  /** Stops the server and removes every file of the cluster. Safe to call twice. */
  stop(): Promise<void>;
}

export interface PgClusterOptions {
  /** Extra `-c name=value` server settings. */
  settings?: Record<string, string | number>;
}

/** The newest installed server's bin directory, or a clear error naming the package to install. */
export function findPgBinDir(): string {
  const root = '/usr/lib/postgresql';
  const majors = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (majors.length === 0) {
    throw new Error(
      'PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin: install them with ' +
        '`apt-get install -y postgresql` (the tests start a private cluster; they need initdb and pg_ctl).',
    );
  }
  return join(root, majors[0]!, 'bin');
}

const isRoot = () => process.getuid?.() === 0;

function postgresUser(): { uid: number; gid: number } | undefined {
  if (!isRoot()) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root, but there is no `postgres` user to run the server as.');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(bin: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((ok, fail) => {
    const child = spawn(bin, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(user ?? {}),
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8' },
      cwd: '/',
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
    child.once('error', fail);
    child.once('close', (code) =>
      code === 0 ? ok(out) : fail(new Error(`${bin} ${args.join(' ')} exited with ${code}:\n${out}`)),
    );
  });
}

export async function startPgCluster(options: PgClusterOptions = {}): Promise<PgCluster> {
  const binDir = findPgBinDir();
  const user = postgresUser();
  const dir = mkdtempSync(join(tmpdir(), 'cairn-pg-'));
  if (user) chownSync(dir, user.uid, user.gid);
  const data = join(dir, 'data');
  const port = await freePort();
  const settings: Record<string, string | number> = {
    listen_addresses: '127.0.0.1',
    port,
    unix_socket_directories: dir,
    fsync: 'off',
    full_page_writes: 'off',
    max_connections: 40,
    ...options.settings,
  };
  const serverOpts = Object.entries(settings)
    .map(([k, v]) => `-c ${k}=${v}`)
    .join(' ');
  const pgCtl = join(binDir, 'pg_ctl');
  const start = () =>
    run(pgCtl, ['-D', data, '-l', join(dir, 'server.log'), '-o', serverOpts, '-w', '-t', '60', 'start'], user);
  let stopped = false;
  const remove = () => rmSync(dir, { recursive: true, force: true });
  try {
    await run(
      join(binDir, 'initdb'),
      ['-D', data, '-U', 'cairn', '--auth=trust', '-E', 'UTF8', '--no-sync', '--no-instructions'],
      user,
    );
    await start();
  } catch (e) {
    remove();
    throw e;
  }
  const urlFor = (database: string) => `postgres://cairn@127.0.0.1:${port}/${database}`;
  const sql = async <T extends Record<string, unknown>>(text: string, params?: unknown[], database = 'cairn') => {
    const client = new pg.Client({ connectionString: urlFor(database) });
    client.on('error', () => {});
    await client.connect();
    try {
      return (await client.query<T>(text, params)).rows;
    } finally {
      await client.end().catch(() => {});
    }
  };
  const cluster: PgCluster = {
    url: urlFor('cairn'),
    port,
    binDir,
    dir,
    urlFor,
    async createDatabase(name) {
      await sql(`CREATE DATABASE "${name.replace(/"/g, '""')}"`, [], 'postgres');
      return urlFor(name);
    },
    sql,
    async crash() {
      await run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], user);
    },
    async restart() {
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await run(pgCtl, ['-D', data, '-m', 'immediate', '-w', 'stop'], user).catch(() => {});
      remove();
    },
  };
  await cluster.createDatabase('cairn');
  return cluster;
}

/** Synchronous last-resort stop, for process 'exit' handlers (benchmarks, Ctrl-C). */
export function stopPgClusterSync(cluster: Pick<PgCluster, 'binDir' | 'dir'>): void {
  try {
    const user = postgresUser();
    execFileSync(join(cluster.binDir, 'pg_ctl'), ['-D', join(cluster.dir, 'data'), '-m', 'immediate', '-w', 'stop'], {
      stdio: 'ignore',
      cwd: '/',
      ...(user ?? {}),
    });
  } catch {
    // already stopped
  }
  rmSync(cluster.dir, { recursive: true, force: true });
}
