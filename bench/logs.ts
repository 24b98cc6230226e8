/**
 * `npm run bench:logs`: the log agent's tail + filter + aggregate path over a generated 1 GiB Apache
 * access log and a 1 GiB JSON log, for a term, a space-delimited and a JSON pattern, side by side with
 * `grep -cF` (term), `awk` (the same space-delimited test) and `jq -c 'select(…)' | wc -l` (JSON) on the
 * same files. Each agent run is a child process (a fresh database, the whole file read from offset 0),
 * so its peak RSS is its own. Prints figures and ratios against the targets; asserts nothing.
 *   --purge   also delete the generated logs at the end (they are reused otherwise)
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { installCleanup, log, removeLater, run, start } from './lib/proc.ts';

const WORK = fileURLToPath(new URL('./.work', import.meta.url));
const SIZE = 2 ** 30;
const RUNS = 2;
const TARGETS = { termVsGrep: 0.5, jsonVsJq: 5, rssMB: 150 };

interface Scenario {
  name: string;
  file: string;
  pattern: string;
  reference: { name: string; cmd: string; target?: number };
}

async function main() {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv[4]!);
  installCleanup();
  mkdirSync(WORK, { recursive: true });
  const access = join(WORK, 'logs-access-1GiB.log');
  const json = join(WORK, 'logs-app-1GiB.jsonl');
  if (process.argv.includes('--purge')) {
    removeLater(access);
    removeLater(json);
  }
  log(
    `bench:logs — ${availableParallelism()} cores, node ${process.version}, load ${loadavg()[0]!.toFixed(1)}, work dir ${WORK}`,
  );
  log(`  ${access}: ${await ensureLog(access, apacheLine)}`);
  log(`  ${json}: ${await ensureLog(json, jsonLine)}`);
  const lines = {
    [access]: Number((await run('wc', ['-l', access])).trim().split(/\s+/)[0]),
    [json]: Number((await run('wc', ['-l', json])).trim().split(/\s+/)[0]),
  };
  for (const f of [access, json]) await run('sh', ['-c', `cat '${f}' > /dev/null`]); // into the page cache

  const scenarios: Scenario[] = [
    {
      name: 'term',
      file: access,
      pattern: '"/checkout"',
      reference: { name: 'grep -cF', cmd: `grep -cF '/checkout' '${access}' || true`, target: TARGETS.termVsGrep },
    },
    {
      name: 'space-delimited',
      file: access,
      pattern: '[ip, id, user, timestamp, request, status_code = 5*, bytes, ...]',
      reference: { name: 'awk', cmd: `awk '$8 ~ /^5/' '${access}' | wc -l` },
    },
    {
      name: 'JSON',
      file: json,
      pattern: '{ $.level = "error" && $.latency > 500 }',
      reference: {
        name: 'jq select',
        cmd: `jq -c 'select(.level == "error" and .latency > 500)' '${json}' | wc -l`,
        target: TARGETS.jsonVsJq,
      },
    },
  ];

  const rows: { s: Scenario; ours: Run; ref: Run }[] = [];
  let peakRss = 0;
  for (const s of scenarios) {
    log(`\n${s.name}: ${s.pattern}`);
    const ours: Run[] = [];
    const refs: Run[] = [];
    for (let r = 0; r < RUNS; r++) {
      const o = await runAgent(s);
      peakRss = Math.max(peakRss, o.rssMB);
      ours.push(o);
      log(
        `  cairn run ${r + 1}/${RUNS}: ${o.seconds.toFixed(2)} s, ${mbps(s.file, o)} MB/s, ${o.matches} matches, peak RSS ${o.rssMB.toFixed(0)} MB`,
      );
      // jq takes minutes per GiB: one run of it is enough to compare.
      if (s.reference.name.startsWith('jq') && r > 0) continue;
      const ref = await timed(s.reference.cmd);
      refs.push(ref);
      log(
        `  ${s.reference.name} run ${r + 1}: ${ref.seconds.toFixed(2)} s, ${mbps(s.file, ref)} MB/s, ${ref.matches} matches`,
      );
    }
    const best = (xs: Run[]) => xs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
    rows.push({ s, ours: best(ours), ref: best(refs) });
  }

  log('\nresults (best of runs; MB = 10^6 bytes)');
  const out: string[] = [];
  out.push(
    `${'pattern'.padEnd(16)} ${'cairn lines/s'.padStart(14)} ${'cairn MB/s'.padStart(11)} ${'reference'.padStart(11)} ${'ref MB/s'.padStart(9)} ${'ratio'.padStart(7)} ${'target'.padStart(7)} matches (cairn/ref)`,
  );
  for (const { s, ours, ref } of rows) {
    const ratio = ref.seconds / ours.seconds;
    const target = s.reference.target;
    out.push(
      `${s.name.padEnd(16)} ${fmt(lines[s.file]! / ours.seconds).padStart(14)} ${mbps(s.file, ours).padStart(11)} ${s.reference.name.padStart(11)} ${mbps(s.file, ref).padStart(9)} ${(ratio.toFixed(2) + '×').padStart(7)} ${(target ? `≥ ${target}×` : '—').padStart(7)} ${ours.matches}/${ref.matches}${ours.matches === ref.matches ? '' : '  MISMATCH'}${target ? (ratio >= target ? '  ok' : '  BELOW TARGET') : ''}`,
    );
  }
  out.push(
    `agent peak RSS: ${peakRss.toFixed(0)} MB (target ≤ ${TARGETS.rssMB} MB)${peakRss <= TARGETS.rssMB ? '  ok' : '  ABOVE TARGET'}`,
  );
  process.stdout.write(out.join('\n') + '\n');
}

interface Run {
  seconds: number;
  matches: number;
  rssMB: number;
}

const mbps = (file: string, r: Run) => (statSync(file).size / 1e6 / r.seconds).toFixed(0);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** One agent run in a child process: a fresh database, one metric filter, the whole file tailed once. */
async function runAgent(s: Scenario): Promise<Run> {
  const c = start(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', s.file, s.pattern]);
  let out = '';
  let err = '';
  c.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  c.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const code = await new Promise<number | null>((r) => c.once('close', r));
  if (code !== 0) throw new Error(`agent run failed (${code}): ${err.trim()}`);
  return JSON.parse(out) as Run;
}

async function timed(cmd: string): Promise<Run> {
  const t0 = performance.now();
  const out = await run('sh', ['-c', cmd]);
  return { seconds: (performance.now() - t0) / 1000, matches: Number(out.trim()), rssMB: 0 };
}

async function child(file: string, pattern: string) {
  const { openDatabase } = await import('../src/adapters/local/sqlite/db.ts');
  const { logsSchema } = await import('../src/config/logs.ts');
  const { startLogAgent } = await import('../src/runtime/local/log-agent.ts');
  const { silentLogger } = await import('../src/ports/logger.ts');
  const dir = mkdtempSync(join(tmpdir(), 'cairn-bench-logs-'));
  try {
    const db = openDatabase(join(dir, 'cairn.db'));
    const config = logsSchema.parse({
      groups: { '/bench': { files: [file], initialPosition: 'start_of_file' } },
      metricFilters: [
        {
          name: 'm',
          logGroup: '/bench',
          FilterPattern: pattern,
          MetricTransformations: [{ MetricName: 'Matches', MetricNamespace: 'Bench', MetricValue: '1' }],
        },
      ],
    });
    const events = { name: 'events', send: async () => ({ id: '0', duplicate: false }) } as never;
    const agent = await startLogAgent(config, { db, events, logger: silentLogger, timers: false });
    const t0 = performance.now();
    await agent.poll();
    const seconds = (performance.now() - t0) / 1000;
    const now = Date.now();
    const matches = agent.metrics
      .statistics(
        { namespace: 'Bench', name: 'Matches', dimensions: {} },
        'Sum',
        3600,
        now - 2 * 86400_000,
        now + 3600_000,
        now,
      )
      .reduce((a, d) => a + d.value, 0);
    await agent.stop();
    db.close();
    process.stdout.write(JSON.stringify({ seconds, matches, rssMB: process.resourceUsage().maxRSS / 1024 }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ── generated inputs (deterministic; reused while their size is right) ──────────────────────────────
function rng(seed: number) {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const PATHS = [
  '/',
  '/index.html',
  '/static/app.js',
  '/static/site.css',
  '/img/logo.png',
  '/api/users',
  '/api/orders',
  '/login',
  '/search?q=shoes',
  '/cart',
];
const AGENTS = [
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0',
  'curl/8.4.0',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X)',
];

function apacheLine(r: () => number, i: number): string {
  const ip = `10.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}.${Math.floor(r() * 256)}`;
  const path = r() < 0.01 ? '/checkout' : PATHS[Math.floor(r() * PATHS.length)]!;
  const x = r();
  const status = x < 0.005 ? 500 + Math.floor(r() * 4) : x < 0.05 ? 404 : x < 0.1 ? 302 : 200;
  const t = new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString();
  return `${ip} - - [${t}] "${r() < 0.9 ? 'GET' : 'POST'} ${path} HTTP/1.1" ${status} ${Math.floor(r() * 50_000)} "https://example.com/" "${AGENTS[Math.floor(r() * AGENTS.length)]}"\n`;
}

function jsonLine(r: () => number, i: number): string {
  const x = r();
  const level = x < 0.02 ? 'error' : x < 0.1 ? 'warn' : 'info';
  return (
    JSON.stringify({
      time: new Date(Date.UTC(2026, 0, 1) + i * 10).toISOString(),
      level,
      service: ['api', 'worker', 'web'][Math.floor(r() * 3)],
      route: PATHS[Math.floor(r() * PATHS.length)],
      latency: Math.floor(r() * r() * 2000),
      user: { id: Math.floor(r() * 100_000), plan: r() < 0.2 ? 'pro' : 'free' },
      msg: level === 'error' ? 'upstream request failed' : 'request served',
    }) + '\n'
  );
}

async function ensureLog(path: string, line: (r: () => number, i: number) => string): Promise<'reused' | 'generated'> {
  try {
    if (statSync(path).size >= SIZE) return 'reused';
  } catch {
    // absent
  }
  const tmp = removeLater(`${path}.partial`);
  const fh = await open(tmp, 'w');
  const r = rng(42);
  let written = 0;
  let i = 0;
  while (written < SIZE) {
    const parts: string[] = [];
    for (let k = 0; k < 20_000; k++) parts.push(line(r, i++));
    const chunk = Buffer.from(parts.join(''));
    await fh.write(chunk);
    written += chunk.length;
    process.stderr.write(`\r  generating ${path}: ${Math.min(100, Math.floor((written / SIZE) * 100))}%`);
  }
  process.stderr.write('\n');
  await fh.close();
  await rename(tmp, path);
  return 'generated';
}

await main();
