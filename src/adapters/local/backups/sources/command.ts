/**
 * Dump sources: a legacy system's own export, stored cold as is.
 *
 * CommandSource runs an argv (no shell: nothing in it is interpreted), e.g. `pg_dump -t items -Fc …`,
 * and streams its stdout as the dump body. stderr is kept (the last `stderrBytes`, 16 KiB by default)
 * for the error message. The body ends only once the command has exited: a non-zero exit or a signal
 * fails the stream with CAIRN_BACKUP_SOURCE_FAILED naming the command and its exit code, so a
 * truncated dump is never taken for a whole one. Stopping the read early, close(), or a timeout kills
 * the child (SIGTERM, then SIGKILL); if this process dies, the child's next write fails on the closed pipe.
 *
 * FileSource streams a file the legacy system produced.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { DumpSource } from '../../../../ports/backups.ts';
import { sourceFailed, sourceInvalid, sourceUnavailable } from '../adapter-errors.ts';

export interface CommandSourceOptions {
  /** The program and its arguments, e.g. ['pg_dump', '-t', 'items', '--no-owner', 'postgres://…']. */
  argv: string[];
  /** Name of the stored dump (default `<program>.out`, e.g. `pg_dump.out`). */
  fileName?: string;
  /** Added to this process's environment (e.g. PGPASSWORD); values are never logged. */
  env?: Record<string, string>;
  cwd?: string;
  /** Bytes of stderr kept for the error message (default 16 KiB, the last ones). */
  stderrBytes?: number;
  /** Kill the command after this many seconds (default: no limit)… */
  timeout?: number;
  /** …or milliseconds (wins over timeout). */
  timeoutMs?: number;
  /** Grace between SIGTERM and SIGKILL (default 5 s). */
  killGraceMs?: number;
}

/** argv[0] and the arguments that look like options or names, with URLs' passwords masked. */
export const showCommand = (argv: string[]) =>
  argv
    .map((a) => a.replace(/(\/\/[^:/@\s]+:)[^@\s]*@/g, '$1***@'))
    .join(' ')
    .slice(0, 300);

export class CommandSource implements DumpSource {
  readonly kind = 'dump' as const;
  private readonly children = new Set<ChildProcess>();

  private readonly timeoutMs: number | undefined;

  constructor(
    private readonly options: CommandSourceOptions,
    private readonly context: { cwd?: string } = {},
  ) {
    if (options.argv.length === 0 || !options.argv[0]) throw sourceInvalid('Command source: argv is empty.');
    this.timeoutMs = options.timeoutMs ?? (options.timeout === undefined ? undefined : options.timeout * 1000);
  }

  async open(): Promise<{ body: AsyncIterable<Uint8Array>; fileName: string }> {
    const { argv } = this.options;
    const child = spawn(argv[0]!, argv.slice(1), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...this.options.env },
      cwd: this.options.cwd === undefined ? this.context.cwd : resolve(this.context.cwd ?? '.', this.options.cwd),
    });
    this.children.add(child);
    const exited = new Promise<{ code: number | null; signal: string | null }>((ok) =>
      child.once('close', (code, signal) => ok({ code, signal })),
    );
    const started = await new Promise<Error | undefined>((ok) => {
      child.once('spawn', () => ok(undefined));
      child.once('error', ok);
    });
    if (started) {
      this.children.delete(child);
      throw sourceInvalid(`Command source: cannot run ${argv[0]}: ${started.message}`, started);
    }
    child.on('error', () => {});
    const keep = this.options.stderrBytes ?? 16 * 1024;
    let stderr = Buffer.alloc(0);
    child.stderr!.on('data', (b: Buffer) => {
      stderr = Buffer.concat([stderr, b]);
      if (stderr.length > keep) stderr = stderr.subarray(stderr.length - keep);
    });
    let timedOut = false;
    const timer =
      this.timeoutMs === undefined
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            this.kill(child);
          }, this.timeoutMs);
    const shown = showCommand(argv);
    const { timeoutMs, children } = this;
    const kill = (c: ChildProcess) => this.kill(c);
    async function* body(): AsyncGenerator<Uint8Array> {
      let finished = false;
      try {
        for await (const chunk of child.stdout!) yield chunk as Buffer;
        const { code, signal } = await exited;
        finished = true;
        if (timedOut)
          throw sourceUnavailable(`Command source: \`${shown}\` took longer than ${timeoutMs} ms and was killed.`);
        if (code !== 0) {
          const tail = stderr.toString('utf8').trim().split('\n').slice(-10).join('\n');
          const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
          throw sourceFailed(`Command source: \`${shown}\` ${how}${tail ? `: ${tail}` : ''}`);
        }
      } finally {
        clearTimeout(timer);
        if (!finished) void kill(child);
        children.delete(child);
      }
    }
    return { body: body(), fileName: this.options.fileName ?? `${basename(argv[0]!)}.out` };
  }

  async close(): Promise<void> {
    await Promise.all([...this.children].map((c) => this.kill(c)));
  }

  private async kill(child: ChildProcess): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    // 'exit', not 'close': 'close' also waits for stdout to be read to its end, which may never happen.
    const gone = new Promise((ok) => child.once('exit', ok));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), this.options.killGraceMs ?? 5_000);
    await gone;
    clearTimeout(t);
  }
}

export interface FileSourceOptions {
  path: string;
  /** Name of the stored dump (default: the file's own name). */
  fileName?: string;
}

export class FileSource implements DumpSource {
  readonly kind = 'dump' as const;
  private readonly streams = new Set<ReturnType<typeof createReadStream>>();

  constructor(private readonly options: FileSourceOptions) {}

  async open(): Promise<{ body: AsyncIterable<Uint8Array>; fileName: string }> {
    const { path } = this.options;
    const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
      throw e.code === 'ENOENT'
        ? sourceUnavailable(`File source: ${path} does not exist (has the legacy system written it yet?).`, e)
        : sourceFailed(`File source: cannot read ${path}: ${e.message}`, e);
    });
    if (!info.isFile()) throw sourceInvalid(`File source: ${path} is not a regular file.`);
    const stream = createReadStream(path, { highWaterMark: 1 << 20 });
    this.streams.add(stream);
    const streams = this.streams;
    async function* body(): AsyncGenerator<Uint8Array> {
      try {
        for await (const chunk of stream) yield chunk as Buffer;
      } catch (e) {
        throw sourceFailed(`File source: reading ${path} failed: ${(e as Error).message}`, e);
      } finally {
        stream.destroy();
        streams.delete(stream);
      }
    }
    return { body: body(), fileName: this.options.fileName ?? basename(path) };
  }

  async close(): Promise<void> {
    for (const s of this.streams) s.destroy();
    this.streams.clear();
  }
}
