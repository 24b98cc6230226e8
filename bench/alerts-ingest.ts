/**
 * `node --import tsx bench/alerts-ingest.ts`: durable webhook ingest against a bare endpoint on the same
 * server. The server is a child process (this file with --serve): a Hono app with the production
 * `hookRoutes` (Standard Webhooks source, SqliteQueue on a file in WAL + synchronous=FULL, group commit)
 * and `POST /hooks-bare/:source`, which reads the same body the same way and answers 202 without
 * checking or storing it. autocannon (this process) sends signed 1 KiB webhooks, each with its own
 * webhook-id, pre-signed before the clock starts. Prints accepted events/s (2xx only), p50/p99, the
 * ratio durable/bare, and checks that the queue holds exactly one row per 202.
 *   --duration=20  --connections=100  --writer=thread|inline|both (default thread, as production runs)
 *   --in-flight=N  batches handed to the writer before the first commits (default: the writer's own)
 * Also prints the server's CPU per 2xx of each run (main thread, and the whole process with the writer
 * thread): unlike 2xx/s it barely moves when other programs load the machine. BENCH_PROF=<dir> writes a
 * CPU profile of the server's main thread during the durable run to <dir>/durable-main.cpuprofile.
 */
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Session } from 'node:inspector/promises';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import { Hono } from 'hono';
import { SqliteQueues } from '../src/adapters/local/sqlite/queue.ts';
import { IngestService, signStandardWebhook, standardWebhooksKey } from '../src/core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../src/core/alerts/model.ts';
import { systemClock } from '../src/core/clock.ts';
import { mapError } from '../src/http/error-mapper.ts';
import { hookRoutes, readCappedBody } from '../src/http/routes/hooks.ts';
import { silentLogger } from '../src/ports/logger.ts';
import { cleanup, freePort, installCleanup, log, removeLater, start, stop, tail, waitForHttp } from './lib/proc.ts';
import { cpuSeconds } from './lib/stats.ts';

const WORK = fileURLToPath(new URL('./.work', import.meta.url));
const SECRET = 'whsec_' + Buffer.from('cairn-bench-secret-of-32-bytes!!').toString('base64');
const arg = (name: string, fallback: string) =>
  process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;

/** The server side: the production route and a bare twin, on node:http configured as server.ts does. */
async function serve() {
  const file = process.env.BENCH_DB!;
  const queues = await SqliteQueues.open({
    file,
    writer: process.env.BENCH_WRITER === 'inline' ? 'inline' : 'thread',
    ...(process.env.BENCH_IN_FLIGHT ? { groupCommit: { maxInFlight: Number(process.env.BENCH_IN_FLIGHT) } } : {}),
  });
  const ingest = IngestService.create({
    sources: { bench: { verify: { scheme: 'standard-webhooks', secret: SECRET, tolerance: 300 } } },
    maxBodyBytes: 256 * 1024,
    queue: queues.queue<IngestedEvent>('events'),
    clock: systemClock,
    secrets: { env: {}, readFile: () => '' },
  });
  const app = new Hono();
  app.onError((err, c) => mapError(err, c, silentLogger));
  // What the server answered 202 on /hooks/, counted here: autocannon never sees the answers in flight when
  // it stops. Counted around app.fetch, for both routes alike: a middleware on /hooks/* alone would put
  // Hono's middleware chain on the durable route only.
  let accepted = 0;
  const fetchCounting = async (req: Request, env: HttpBindings | Http2Bindings) => {
    const res = await app.fetch(req, env);
    if (res.status === 202 && env.incoming.url!.startsWith('/hooks/')) accepted += 1;
    return res;
  };
  app.route('/hooks', hookRoutes({ ingest }));
  app.get('/bench/cpu', (c) => c.json({ ...cpuNow(), accepted }));
  const profiler = new Session();
  app.post('/bench/profile/:action', async (c) => {
    if (c.req.param('action') === 'start') {
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    } else {
      const { profile } = await profiler.post('Profiler.stop');
      writeFileSync(join(process.env.BENCH_PROF!, 'durable-main.cpuprofile'), JSON.stringify(profile));
      profiler.disconnect();
    }
    return c.body(null, 204);
  });
  app.post('/hooks-bare/:source', async (c) => {
    const body = await readCappedBody(c, ingest.maxBodyBytes);
    return c.json({ eventId: `evt_bare_${body.byteLength}`, duplicate: false }, 202);
  });
  const server = createServer({ highWaterMark: 1 << 20 }, getRequestListener(fetchCounting));
  server.requestTimeout = 0;
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 10_000;
  server.listen(Number(process.env.BENCH_PORT), '127.0.0.1');
  process.once('SIGTERM', () => {
    server.closeAllConnections();
    server.close(async () => {
      const s = queues.stats();
      await queues.close();
      process.stdout.write(`${JSON.stringify({ ...s, accepted })}\n`);
      process.exit(0);
    });
  });
}

/** CPU time used so far: this (main) thread's from /proc (Linux; NaN elsewhere) and the whole process's. */
function cpuNow(): { mainMs: number; processMs: number } {
  const u = process.cpuUsage();
  return { mainMs: cpuSeconds('thread-self') * 1000, processMs: (u.user + u.system) / 1000 };
}

/** A 1 KiB JSON alert, as a monitoring tool would send it. */
function alertBody(): Buffer {
  const base = {
    title: 'CPU above 90% on db-1',
    severity: 'critical',
    service: 'payments',
    labels: { team: 'core', env: 'prod' },
    pad: '',
  };
  const size = Buffer.byteLength(JSON.stringify(base));
  return Buffer.from(JSON.stringify({ ...base, pad: 'x'.repeat(1024 - size) }));
}

interface Run {
  label: string;
  accepted: number;
  perSecond: number;
  non2xx: number;
  errors: number;
  p50: number;
  p99: number;
  /** CPU µs per 2xx: the server's main thread, the whole server process, the load generator (autocannon). */
  mainUs?: number;
  processUs?: number;
  clientUs?: number;
}

/**
 * Signed requests, made before the clock starts. The durable runs take each once (a fresh webhook-id);
 * the bare runs cycle over the same pool, so both send identical request sizes.
 */
function signedPool(body: Buffer, size: number) {
  const key = standardWebhooksKey(SECRET);
  let n = 0;
  let onTheFly = 0;
  const sign = () => {
    const id = `msg_${process.pid}_${++n}`;
    const ts = Math.floor(Date.now() / 1000);
    return {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhook(key, id, ts, body),
    };
  };
  const pool = Array.from({ length: size }, sign);
  let next = 0;
  let cycle = 0;
  return {
    fresh: () => pool[next++] ?? (onTheFly++, sign()),
    reused: () => ({ ...pool[cycle++ % pool.length]! }),
    onTheFly: () => onTheFly,
  };
}

function load(
  label: string,
  url: string,
  body: Buffer,
  take: () => Record<string, string>,
  seconds: number,
  connections: number,
) {
  return new Promise<Run>((resolve, reject) => {
    const path = new URL(url).pathname;
    autocannon(
      {
        url,
        connections,
        duration: seconds,
        timeout: 30,
        requests: [
          {
            method: 'POST',
            path,
            body,
            setupRequest: (req: { headers: Record<string, string> }) => ({ ...req, headers: take() }),
          },
        ],
      } as unknown as Parameters<typeof autocannon>[0],
      (err, r) => {
        if (err) return reject(err);
        resolve({
          label,
          accepted: r['2xx'],
          perSecond: r['2xx'] / r.duration,
          non2xx: r.non2xx,
          errors: r.errors + r.timeouts,
          p50: r.latency.p50,
          p99: r.latency.p99,
        });
      },
    );
  });
}

/** Runs a load and adds the server's CPU per 2xx it answered (counted by the server, late answers too). */
async function measured(base: string, run: () => Promise<Run>): Promise<Run> {
  type Cpu = { mainMs: number; processMs: number; accepted: number };
  const cpu = async () => (await (await fetch(`${base}/bench/cpu`)).json()) as Cpu;
  const before = await cpu();
  const client = process.cpuUsage();
  const r = await run();
  const clientCpu = process.cpuUsage(client);
  await new Promise((resolve) => setTimeout(resolve, 200)); // answers still in flight when autocannon stopped
  const after = await cpu();
  const served = r.label.includes('durable') ? after.accepted - before.accepted : r.accepted;
  return {
    ...r,
    mainUs: ((after.mainMs - before.mainMs) * 1000) / served,
    processUs: ((after.processMs - before.processMs) * 1000) / served,
    clientUs: (clientCpu.user + clientCpu.system) / r.accepted,
  };
}

async function benchWriter(writer: 'thread' | 'inline', seconds: number, connections: number) {
  const dir = removeLater(join(WORK, `alerts-ingest-${writer}-${process.pid}`));
  const db = join(dir, 'cairn.db');
  const port = await freePort();
  const child = start(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--serve'], {
    env: {
      ...process.env,
      BENCH_DB: db,
      BENCH_PORT: String(port),
      BENCH_WRITER: writer,
      ...(arg('in-flight', '') ? { BENCH_IN_FLIGHT: arg('in-flight', '') } : {}),
    },
  });
  const stderr = tail(child);
  let stdout = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  const base = `http://127.0.0.1:${port}`;
  await waitForHttp(`${base}/hooks/bench`, child).catch((e: Error) => {
    throw new Error(`${e.message}\n${stderr()}`);
  });

  const body = alertBody();
  const size = 30_000 * (seconds + 3);
  log(`[${writer}] pre-signing ${size} webhooks`);
  const pool = signedPool(body, size);
  log(`[${writer}] warm-up 3 s each`);
  const warm = await load('warm-up', `${base}/hooks/bench`, body, pool.fresh, 3, connections);
  await load('warm-up', `${base}/hooks-bare/bench`, body, pool.reused, 3, connections);
  log(`[${writer}] durable ${seconds} s, then bare ${seconds} s, ${connections} connections`);
  const la = loadavg()[0]!;
  const prof = process.env.BENCH_PROF;
  if (prof) await fetch(`${base}/bench/profile/start`, { method: 'POST' });
  const durable = await measured(base, () =>
    load(`POST /hooks (durable, ${writer} writer)`, `${base}/hooks/bench`, body, pool.fresh, seconds, connections),
  );
  if (prof) await fetch(`${base}/bench/profile/stop`, { method: 'POST' });
  const bare = await measured(base, () =>
    load('POST /hooks-bare (no check, no store)', `${base}/hooks-bare/bench`, body, pool.reused, seconds, connections),
  );
  const signedOnTheFly = pool.onTheFly();

  await stop(child, 30_000);
  const stats = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as {
    batches?: number;
    transactions?: number;
    ops?: number;
    commitMs?: number;
    accepted?: number;
  };
  const check = new Database(db, { readonly: true });
  const rows = check.prepare(`SELECT COUNT(*) FROM queue_messages WHERE queue = 'events'`).pluck().get() as number;
  check.close();
  return { writer, durable, bare, warm2xx: warm.accepted, rows, stats, loadAvg: la, signedOnTheFly };
}

async function main() {
  installCleanup();
  const seconds = Number(arg('duration', '20'));
  const connections = Number(arg('connections', '100'));
  const which = arg('writer', 'thread');
  const writers =
    which === 'both' ? (['thread', 'inline'] as const) : ([which === 'inline' ? 'inline' : 'thread'] as const);
  log(
    `bench:alerts-ingest — ${availableParallelism()} cores, node ${process.version}, load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const results = [];
  for (const w of writers) results.push(await benchWriter(w, seconds, connections));

  const out: string[] = [
    '',
    `== Cairn alerts ingest: signed 1 KiB Standard Webhooks, ${connections} connections, ${seconds} s per run`,
  ];
  const row = (r: Run) =>
    `${r.label.padEnd(42)}${r.perSecond.toFixed(0).padStart(10)}${String(r.p50).padStart(8)}${String(r.p99).padStart(8)}${String(r.accepted).padStart(10)}${String(r.non2xx).padStart(8)}${String(r.errors).padStart(8)}${(r.mainUs ?? NaN).toFixed(1).padStart(9)}${(r.processUs ?? NaN).toFixed(1).padStart(9)}${(r.clientUs ?? NaN).toFixed(1).padStart(10)}`;
  out.push(
    `${'endpoint'.padEnd(42)}${'2xx/s'.padStart(10)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(8)}${'2xx'.padStart(10)}${'non2xx'.padStart(8)}${'errors'.padStart(8)}${'main µs'.padStart(9)}${'proc µs'.padStart(9)}${'client µs'.padStart(10)}`,
  );
  for (const r of results) {
    const ratio = r.durable.perSecond / r.bare.perSecond;
    const expected = r.stats.accepted ?? NaN;
    const cut = expected - r.durable.accepted - r.warm2xx;
    out.push(row(r.durable), row(r.bare));
    out.push(
      `  ratio durable/bare ${ratio.toFixed(2)} (target ≥ 0.5 ${ratio >= 0.5 ? '✓' : '✗'}); durable ${r.durable.perSecond.toFixed(0)}/s (target ≥ 15000 ${r.durable.perSecond >= 15000 ? '✓' : '✗'})`,
      `  queue rows ${r.rows} = 202s sent by the server ${expected}: ${r.rows === expected ? 'ok ✓' : 'MISMATCH ✗'}` +
        ` (autocannon saw ${r.durable.accepted} + ${r.warm2xx} in warm-up; ${cut} answered after it stopped, ≤ 2 × ${connections})`,
      `  group commit: ${r.stats.batches ?? '?'} batches handed over in ${r.stats.transactions ?? '?'} transactions, ${r.stats.ops && r.stats.transactions ? (r.stats.ops / r.stats.transactions).toFixed(1) : '?'} sends each on average, ${r.stats.commitMs && r.stats.batches ? (r.stats.commitMs / r.stats.batches).toFixed(1) : '?'} ms from hand-over to commit; load average at start ${r.loadAvg.toFixed(1)}; main/proc/client µs = CPU per 2xx of the server's main thread, whole server, autocannon${r.signedOnTheFly ? `; ${r.signedOnTheFly} requests signed on the fly` : ''}`,
    );
  }
  out.push(
    JSON.stringify(
      results.map((r) => ({
        writer: r.writer,
        durablePerSecond: Math.round(r.durable.perSecond),
        barePerSecond: Math.round(r.bare.perSecond),
        ratio: Number((r.durable.perSecond / r.bare.perSecond).toFixed(3)),
        durableP50: r.durable.p50,
        durableP99: r.durable.p99,
        bareP50: r.bare.p50,
        bareP99: r.bare.p99,
        durableMainUs: Number(r.durable.mainUs?.toFixed(1)),
        bareMainUs: Number(r.bare.mainUs?.toFixed(1)),
        rowsMatch: r.rows === r.stats.accepted,
      })),
    ),
  );
  process.stdout.write(`${out.join('\n')}\n`);
}

if (process.argv.includes('--serve')) {
  void serve();
} else {
  main().then(
    () => cleanup(),
    (e: unknown) => {
      log(`bench:alerts-ingest failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      cleanup();
      process.exit(1);
    },
  );
}
