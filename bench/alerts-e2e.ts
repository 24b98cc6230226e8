/**
 * `node --import tsx bench/alerts-e2e.ts`: end-to-end latency of the notification hub. The real server
 * (`node bin/cairn.js serve`, fresh data directory) runs as a child with one Standard Webhooks source
 * routed to a Slack channel whose URL is a plain node:http sink in this process. Signed 1 KiB webhooks go
 * out open-loop at a fixed rate; each carries a sequence number in its title (and its own fingerprint, so
 * the default grouping — by fingerprint, groupWait 0 — gives every event its own message at once).
 * Latency = Slack request arriving at the sink − 202 arriving at the client, both on performance.now().
 *   --rate=1000  --duration=30  --connections=64  --drain=30 (s after the last send)  --warmup=200
 *   --cpu-prof=DIR  writes a V8 CPU profile of the server there (to see where its time goes)
 *   --dump=FILE  writes one CSV line per event (seq, sent, 202, at the sink; ms on one clock) to plot
 * Targets are printed (✓/✗), not asserted: the exit code is non-zero only if the bench itself failed.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { signStandardWebhook, standardWebhooksKey } from '../src/core/alerts/ingest/index.ts';
import { openLoop, type OpenLoopResult, type Prepared } from './lib/open-loop.ts';
import { cleanup, installCleanup, log, removeLater, stop } from './lib/proc.ts';
import { sampleBacklog } from './lib/queue-backlog.ts';
import { startSlackSink, type SlackSink } from './lib/slack-sink.ts';
import { cpuSeconds } from './lib/stats.ts';
import { spawnCairn } from './lib/cairn.ts';
import { figures, print } from './lib/e2e-report.ts';

const WORK = fileURLToPath(new URL('./.work', import.meta.url));
const SECRET = 'whsec_' + Buffer.from('cairn-e2e-bench-secret-32-bytes!').toString('base64');
const arg = (name: string, fallback: number) =>
  Number(process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The sequence number travels in the title; Slack messages carry it in `text` and the header block. */
const titleOf = (seq: number) => `e2e bench alert e2e-seq-${seq}`;
const seqOf = (body: string) => {
  const m = /e2e-seq-(\d+)/.exec(body);
  return m ? Number(m[1]) : null;
};

/** A signed 1 KiB webhook for each sequence number (~20 µs each: cheap enough to make when due). */
function signer(): (seq: number) => Prepared {
  const key = standardWebhooksKey(SECRET);
  const tag = randomBytes(4).toString('hex');
  const labels = { team: 'core', env: 'prod' };
  return (seq) => {
    const alert = { title: titleOf(seq), severity: 'critical', service: 'payments', fingerprint: `fp-${seq}`, labels };
    const size = Buffer.byteLength(JSON.stringify({ ...alert, pad: '' }));
    const body = Buffer.from(JSON.stringify({ ...alert, pad: 'x'.repeat(1024 - size) }));
    const id = `msg_e2e_${tag}_${seq}`;
    const ts = Math.floor(Date.now() / 1000);
    const headers = {
      'content-type': 'application/json',
      'webhook-id': id,
      'webhook-timestamp': String(ts),
      'webhook-signature': signStandardWebhook(key, id, ts, body),
    };
    return { headers, body };
  };
}

function writeConfig(dir: string, slackUrl: string): string {
  const file = join(dir, 'cairn.yaml');
  writeFileSync(
    file,
    [
      'alerts:',
      '  sources:',
      '    bench:',
      `      verify: { scheme: standard-webhooks, secret: "${SECRET}" }`,
      '  channels:',
      `    slack: { type: slack, url: "${slackUrl}" }`,
      '  routes:',
      // Grouped by fingerprint (one per event here), groupWait 0: each event is its own message, sent at once.
      '    - match: { source: [bench] }',
      '      channels: [slack]',
      '      groupBy: [fingerprint]',
      '      groupWait: 0s',
      '',
    ].join('\n'),
  );
  return file;
}

async function startServer(dir: string, slackUrl: string) {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('CAIRN_')) env[k] = v;
  const profDir = process.argv.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
  const { child, url, stderr } = await spawnCairn({
    dataDir: join(dir, 'data'),
    env: { ...env, CAIRN_CONFIG: writeConfig(dir, slackUrl) },
    nodeArgs: profDir ? ['--cpu-prof', `--cpu-prof-dir=${profDir}`] : [],
  });
  // Logs are JSON on stdout (warn and above here): count each distinct message, to explain losses.
  const serverLog = new Map<string, number>();
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    for (const line of s.split('\n')) {
      const msg = /"msg":"([^"]*)"/.exec(line)?.[1];
      if (msg) serverLog.set(msg, (serverLog.get(msg) ?? 0) + 1);
    }
  });
  return { child, url, serverLog, stderr };
}

/** Waits until every accepted request in `run` (sequence numbers from `first`) reached the sink, or `deadline`. */
async function drain(sink: SlackSink, run: OpenLoopResult, first: number, deadline: number): Promise<void> {
  const waiting = new Set<number>();
  for (let i = 0; i < run.status.length; i++) if (run.status[i] === 202) waiting.add(first + i);
  while (waiting.size > 0 && performance.now() < deadline) {
    for (const seq of waiting) if (sink.count[seq]! > 0) waiting.delete(seq);
    await sleep(50);
  }
}

function csv(sink: SlackSink, run: OpenLoopResult, first: number): string {
  const t0 = run.startedAt;
  const ms = (x: number) => (Number.isNaN(x) ? '' : (x - t0).toFixed(2));
  const lines = ['seq,status,sent_ms,answered_ms,at_sink_ms'];
  for (let i = 0; i < run.status.length; i++)
    lines.push(`${i},${run.status[i]},${ms(run.sentAt[i]!)},${ms(run.answeredAt[i]!)},${ms(sink.firstAt[first + i]!)}`);
  return `${lines.join('\n')}\n`;
}

async function main() {
  installCleanup();
  const rate = arg('rate', 1000);
  const seconds = arg('duration', 30);
  const connections = arg('connections', 64);
  const drainSeconds = arg('drain', 30);
  const warmup = arg('warmup', 200);
  const total = Math.round(rate * seconds);
  if (!(rate > 0 && total > 0 && connections > 0)) throw new Error('--rate, --duration and --connections must be > 0');
  const la = () => loadavg().map((x) => x.toFixed(2));
  log(`bench:alerts-e2e — ${availableParallelism()} cores, node ${process.version}, load average ${la().join(' ')}`);

  const sink = await startSlackSink(warmup + total, seqOf);
  const dir = removeLater(join(WORK, `alerts-e2e-${process.pid}`));
  mkdirSync(dir, { recursive: true });
  const server = await startServer(dir, sink.url);
  const hooks = `${server.url}/hooks/bench`;

  log(`warm-up: ${warmup} events at 100/s`);
  const sign = signer();
  const warm = await openLoop({ url: hooks, rate: 100, count: warmup, request: sign, connections });
  await drain(sink, warm, 0, performance.now() + 30_000);

  const loadAtStart = loadavg()[0]!;
  const cpuAtStart = cpuSeconds(server.child.pid!);
  const backlog = sampleBacklog(join(dir, 'data', 'queue.db'));
  // This process sends and receives: if its own loop lags, the figures say more about it than the server.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  log(`sending ${rate}/s for ${seconds} s over ≤ ${connections} keep-alive connections (load average ${la()[0]})`);
  const run = await openLoop({ url: hooks, rate, count: total, request: (i) => sign(warmup + i), connections });
  const backlogAtEnd = backlog.now();
  log(`sent; waiting up to ${drainSeconds} s for the last notifications`);
  await drain(sink, run, warmup, run.endedAt + drainSeconds * 1000);
  const serverCpu = (cpuSeconds(server.child.pid!) - cpuAtStart) / ((performance.now() - run.startedAt) / 1000);
  const queues = { peak: { ...backlog.peak }, atEnd: backlogAtEnd, drained: backlog.now() };
  backlog.stop();
  loopDelay.disable();
  const benchLoopP99 = loopDelay.percentile(99) / 1e6;
  const loadAtEnd = loadavg()[0]!;
  const f = figures(sink, run, warmup);
  const dump = process.argv.find((a) => a.startsWith('--dump='))?.slice('--dump='.length);
  if (dump) writeFileSync(dump, csv(sink, run, warmup));

  await stop(server.child, 15_000);
  await sink.close();
  if (f.accepted === 0)
    throw new Error(`no webhook was accepted (${run.firstError ?? JSON.stringify(f.non202)})\n${server.stderr()}`);
  const context = { rate, seconds, connections, drainSeconds, loadAtStart, loadAtEnd, serverCpu, queues, benchLoopP99 };
  print(f, { ...context, sink, serverLog: server.serverLog });
}

main().then(
  () => cleanup(),
  (e: unknown) => {
    log(`bench:alerts-e2e failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    cleanup();
    process.exit(1);
  },
);
