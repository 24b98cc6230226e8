/**
 * `npm run bench:backups`: a 2,000,000-row table (~500 MB) in a private Postgres cluster, backed up by
 * Cairn beside the tools a DBA would use, in one run:
 *   1. full backup to cold storage (gzip NDJSON chunks, encrypted on disk) vs `pg_dump -t | gzip -1`;
 *   2. full backup into a hot Postgres database vs `psql COPY TO STDOUT | psql COPY FROM STDIN`;
 *   3. an incremental run after 1% of the rows changed vs that full run;
 *   4. the backup process's peak RSS with 2 M and with 4 M rows.
 * Figures are printed, with ratios against the targets (✓/✗) and a JSON summary line; nothing is
 * asserted. Every server and file it made is removed at the end, on error and on Ctrl-C.
 *   --rows N        rows in the table (default 2,000,000; the RSS check doubles it)
 *   --concurrency N chunks read in parallel (default 2: the machine's cores)
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startPgCluster, stopPgClusterSync, type PgCluster } from '../test/helpers/postgres.ts';
import type { WorkerArgs, WorkerResult } from './lib/backup-worker.ts';
import { installCleanup, log, removeLater, run, shutdown, start, wasInterrupted } from './lib/proc.ts';

const WORK = fileURLToPath(new URL('./.work/backups', import.meta.url));
const WORKER = fileURLToPath(new URL('./lib/backup-worker.ts', import.meta.url));
const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const ROWS = arg('rows', 2_000_000);
const CONCURRENCY = arg('concurrency', Math.max(2, availableParallelism()));
const CHUNK_ROWS = 100_000;
const LEVEL = 1; // as gzip -1

const DDL = `CREATE TABLE items (
  id bigint PRIMARY KEY, updated_at timestamptz NOT NULL, name text NOT NULL, email text, status int NOT NULL,
  amount numeric(12,2), note text, attrs jsonb)`;
const fill = (from: number, to: number) => `INSERT INTO items
  SELECT g, '2024-01-01'::timestamptz + g * interval '7 second', 'customer ' || g, 'user' || g || '@example.com', g % 5,
         (g % 100000) / 100.0, repeat(md5(g::text), 2),
         jsonb_build_object('tier', g % 3, 'tags', jsonb_build_array('a', 'b'), 'score', g % 1000)
    FROM generate_series(${from}, ${to}) g`;

const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const timed = async (what: string, fn: () => Promise<unknown>): Promise<number> => {
  const t = performance.now();
  await fn();
  const ms = performance.now() - t;
  log(`    ${what}: ${secs(ms)}`);
  return ms;
};

async function worker(args: Omit<WorkerArgs, 'concurrency' | 'chunkRows' | 'level' | 'table'>): Promise<WorkerResult> {
  const full: WorkerArgs = { ...args, table: 'items', concurrency: CONCURRENCY, chunkRows: CHUNK_ROWS, level: LEVEL };
  const child = start(process.execPath, ['--import', 'tsx', WORKER, JSON.stringify(full)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => (out += s));
  const code = await new Promise<number | null>((ok) => child.once('exit', ok));
  if (code !== 0) throw new Error(`the backup worker (${args.job}) exited with ${code}`);
  const result = JSON.parse(out.trim().split('\n').pop()!) as WorkerResult;
  log(
    `    cairn ${args.job} (${result.mode}): ${secs(result.ms)}, ${result.rows} rows, peak RSS ${result.peakRssMB.toFixed(0)} MB`,
  );
  return result;
}

async function main() {
  installCleanup();
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  removeLater(WORK);
  log(
    `bench:backups — ${availableParallelism()} cores, node ${process.version}, ${ROWS} rows, concurrency ${CONCURRENCY}`,
  );
  const load0 = loadavg()[0]!;
  let pg: PgCluster | undefined;
  process.once('exit', () => pg && stopPgClusterSync(pg));
  pg = await startPgCluster({
    settings: {
      shared_buffers: '512MB',
      max_wal_size: '8GB',
      checkpoint_timeout: '30min',
      maintenance_work_mem: '256MB',
    },
  });
  const cluster = pg;
  const src = cluster.url;
  const [hot, ref] = [await cluster.createDatabase('hot'), await cluster.createDatabase('ref')];
  const psql = join(cluster.binDir, 'psql');
  const sh = (script: string) => run('bash', ['-o', 'pipefail', '-c', script]);

  log(`generating ${ROWS} rows`);
  await timed('insert', () => cluster.sql(DDL).then(() => cluster.sql(fill(1, ROWS))));
  await timed('vacuum analyze + index on updated_at', async () => {
    await cluster.sql('VACUUM ANALYZE items');
    await cluster.sql('CREATE INDEX items_updated_at ON items (updated_at)');
  });
  const [size] = await cluster.sql<{ heap: string; total: string }>(
    `SELECT pg_relation_size('items')::text AS heap, pg_total_relation_size('items')::text AS total`,
  );
  log(
    `    table: ${(Number(size!.heap) / 1e6).toFixed(0)} MB heap, ${(Number(size!.total) / 1e6).toFixed(0)} MB with indexes`,
  );
  await cluster.sql(DDL, [], 'ref');

  const dump = join(WORK, 'items.sql.gz');
  const pgDump = () => sh(`${join(cluster.binDir, 'pg_dump')} -t items '${src}' | gzip -1 > '${dump}'`);
  const copyPipe = () =>
    sh(`'${psql}' -qAt '${src}' -c 'COPY items TO STDOUT' | '${psql}' -qAt '${ref}' -c 'COPY items FROM STDIN'`);

  log('1. full backup to cold storage (2 rounds each, the faster counts)');
  const cold: { ref: number[]; cairn: WorkerResult[] } = { ref: [], cairn: [] };
  for (let round = 0; round < 2; round++) {
    cold.ref.push(await timed('pg_dump -t items | gzip -1', pgDump));
    const dataDir = join(WORK, `cold-${round}`);
    cold.cairn.push(
      await worker({ mode: 'job', dataDir, job: 'items-cold', sourceUrl: src, incremental: false, full: true }),
    );
    rmSync(dataDir, { recursive: true, force: true });
  }
  const dumpBytes = statSync(dump).size;

  log('2. full backup into a hot Postgres database');
  await cluster.sql('TRUNCATE items', [], 'ref');
  const copyMs = await timed('psql COPY TO STDOUT | psql COPY FROM STDIN', copyPipe);
  const direct = await worker({
    mode: 'direct',
    dataDir: WORK,
    job: 'direct-hot',
    sourceUrl: src,
    hotUrl: hot,
    incremental: false,
    full: true,
  });
  await cluster.sql('DROP TABLE items', [], 'hot');
  const hotDir = join(WORK, 'hot');
  const hotFull = await worker({
    mode: 'job',
    dataDir: hotDir,
    job: 'items-hot',
    sourceUrl: src,
    hotUrl: hot,
    incremental: true,
    full: false,
  });

  log('3. incremental run after 1% of the rows changed');
  await timed('update 1% of rows', () =>
    cluster.sql(`UPDATE items SET updated_at = now(), status = status + 1 WHERE id % 100 = 0`),
  );
  const incr = await worker({
    mode: 'job',
    dataDir: hotDir,
    job: 'items-hot',
    sourceUrl: src,
    hotUrl: hot,
    incremental: true,
    full: false,
  });
  const [hotCheck] = await cluster.sql<{ n: number; changed: number }>(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE updated_at > '2025-01-01')::int AS changed FROM items`,
    [],
    'hot',
  );

  log(`4. peak RSS with ${2 * ROWS} rows`);
  await timed(`insert ${ROWS} more rows`, () =>
    cluster.sql(fill(ROWS + 1, 2 * ROWS)).then(() => cluster.sql('VACUUM ANALYZE items')),
  );
  const big = await worker({
    mode: 'job',
    dataDir: join(WORK, 'cold-big'),
    job: 'items-cold',
    sourceUrl: src,
    incremental: false,
    full: true,
  });

  const best = cold.cairn.reduce((a, b) => (b.ms < a.ms ? b : a));
  const refCold = Math.min(...cold.ref);
  const ratios = [
    { name: 'full to cold: Cairn / pg_dump | gzip -1', value: best.ms / refCold, target: 1.0 },
    { name: 'full to hot: Cairn job / psql COPY | COPY', value: hotFull.ms / copyMs, target: 2.0 },
    { name: 'incremental (1% changed) / full, same job', value: incr.ms / hotFull.ms, target: 0.05 },
  ].map((r) => ({ ...r, ok: r.value <= r.target }));
  const peak = Math.max(best.peakRssMB, hotFull.peakRssMB, incr.peakRssMB, big.peakRssMB);
  const out: string[] = [];
  out.push(
    '',
    `bench:backups — ${ROWS} rows (${(Number(size!.heap) / 1e6).toFixed(0)} MB heap), ${availableParallelism()} cores, concurrency ${CONCURRENCY}`,
  );
  out.push(`  1. cold   pg_dump | gzip -1   ${secs(refCold).padStart(8)}  (${(dumpBytes / 1e6).toFixed(0)} MB)`);
  out.push(
    `            cairn full → cold   ${secs(best.ms).padStart(8)}  (${(best.bytes / 1e6).toFixed(0)} MB gzip NDJSON, encrypted)`,
  );
  out.push(`  2. hot    psql COPY | COPY    ${secs(copyMs).padStart(8)}`);
  out.push(
    `            cairn full → hot    ${secs(hotFull.ms).padStart(8)}  (job: hot + cold, ${hotFull.hotRows} rows upserted)`,
  );
  out.push(
    `            source → hot only   ${secs(direct.ms).padStart(8)}  (no cold storage: the hot path alone; its commit ${secs(direct.commitMs ?? NaN)})`,
  );
  out.push(
    `  3. incr   cairn incremental   ${secs(incr.ms).padStart(8)}  (${incr.rows} rows; hot table ${hotCheck!.n} rows, ${hotCheck!.changed} changed)`,
  );
  out.push(
    `  4. RSS    ${ROWS} rows: ${best.peakRssMB.toFixed(0)} MB cold, ${hotFull.peakRssMB.toFixed(0)} MB hot+cold; ${2 * ROWS} rows: ${big.peakRssMB.toFixed(0)} MB (${secs(big.ms)})`,
  );
  out.push('', 'ratios (lower is better)');
  for (const r of ratios)
    out.push(`  ${r.ok ? '✓' : '✗'} ${r.name.padEnd(44)} ${r.value.toFixed(3).padStart(7)}  (target ≤ ${r.target})`);
  out.push(
    `  ${peak <= 256 ? '✓' : '✗'} ${'peak RSS of the backup process, MB'.padEnd(44)} ${peak.toFixed(0).padStart(7)}  (target ≤ 256)`,
  );
  const summary = {
    bench: 'backups',
    rows: ROWS,
    heapBytes: Number(size!.heap),
    cores: availableParallelism(),
    concurrency: CONCURRENCY,
    loadavg: [load0, loadavg()[0]!],
    cold: {
      pgDumpGzipMs: Math.round(refCold),
      cairnMs: Math.round(best.ms),
      runs: cold.cairn.map((c) => Math.round(c.ms)),
      dumpBytes,
      cairnBytes: best.bytes,
    },
    hot: {
      copyPipeMs: Math.round(copyMs),
      cairnJobMs: Math.round(hotFull.ms),
      directMs: Math.round(direct.ms),
      directCommitMs: Math.round(direct.commitMs ?? NaN),
      rows: hotFull.hotRows,
    },
    incremental: { ms: Math.round(incr.ms), rows: incr.rows, fullMs: Math.round(hotFull.ms) },
    rssMB: {
      cold2M: Math.round(best.peakRssMB),
      hot2M: Math.round(hotFull.peakRssMB),
      incremental: Math.round(incr.peakRssMB),
      cold4M: Math.round(big.peakRssMB),
    },
    ratios: Object.fromEntries(
      ratios.map((r) => [r.name, { value: Number(r.value.toFixed(3)), target: r.target, ok: r.ok }]),
    ),
  };
  out.push('', JSON.stringify(summary));
  process.stdout.write(out.join('\n') + '\n');
  await cluster.stop();
  pg = undefined;
}

main()
  .then(() => shutdown())
  .catch(async (e: unknown) => {
    if (!wasInterrupted()) log(`bench:backups failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    await shutdown();
    process.exit(1);
  });
