/**
 * One backup run in a process of its own, so that its peak RSS is the backup's alone. Started by
 * bench/backups.ts with a JSON argument; prints one JSON line with its figures on stdout, progress on
 * stderr. Modes:
 *   job     the real thing: BackupService (runner, SQLite run history and lease, gzip NDJSON chunks into
 *           the encrypted DiskObjectStore, the Postgres hot target if given), as `cairn backup run` does;
 *   direct  PostgresSource straight into PostgresHotTarget, no cold storage (where the hot time goes).
 */
import { join } from 'node:path';
import { LocalKeyService } from '../../src/adapters/local/key-service.ts';
import { SqliteEventBus } from '../../src/adapters/local/event-bus.ts';
import { DiskObjectStore } from '../../src/adapters/local/object-store/disk-object-store.ts';
import { UrlSigner } from '../../src/adapters/local/object-store/url-signer.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { PostgresSource } from '../../src/adapters/local/backups/sources/postgres.ts';
import { PostgresHotTarget } from '../../src/adapters/local/backups/targets/postgres.ts';
import { backupsSchema } from '../../src/config/backups.ts';
import { systemClock } from '../../src/core/clock.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import type { PlanRequest } from '../../src/ports/backups.ts';
import { createBackupService } from '../../src/runtime/local/backups.ts';

export interface WorkerArgs {
  mode: 'job' | 'direct';
  dataDir: string;
  job: string;
  sourceUrl: string;
  table: string;
  hotUrl?: string;
  incremental: boolean;
  full: boolean;
  concurrency: number;
  chunkRows: number;
  level: number;
}

export interface WorkerResult {
  ms: number;
  /** direct: how long the commit (staging → live, one statement) took. */
  commitMs?: number;
  rows: number;
  bytes: number;
  hotRows: number | null;
  mode: string;
  peakRssMB: number;
}

const args = JSON.parse(process.argv[2]!) as WorkerArgs;
const say = (s: string) => process.stderr.write(`    [${args.job}] ${s}\n`);
const peakRssMB = () => (process.resourceUsage().maxRSS * 1024) / 1e6;

async function runJob(): Promise<Omit<WorkerResult, 'peakRssMB' | 'commitMs'>> {
  const db = openDatabase(join(args.dataDir, 'cairn.db'));
  const keys = await LocalKeyService.open({ dataDir: args.dataDir });
  const signer = new UrlSigner({ baseUrl: 'http://127.0.0.1:1', key: keys.urlSigningKey() });
  const objects = await DiskObjectStore.open({ dataDir: args.dataDir, keys, signer, namesKey: keys.objectNamesKey() });
  const config = {
    dataDir: args.dataDir,
    backups: backupsSchema.parse({
      jobs: {
        [args.job]: {
          source: { type: 'postgres', url: args.sourceUrl, table: args.table },
          mode: args.incremental ? 'incremental' : 'full',
          ...(args.incremental ? { cursor: { column: 'updated_at' } } : {}),
          ...(args.hotUrl ? { hot: { postgres: args.hotUrl } } : {}),
          cold: { level: args.level, chunkRows: args.chunkRows },
          concurrency: args.concurrency,
        },
      },
    }),
  };
  const service = createBackupService(config, {
    db,
    objects,
    events: new SqliteEventBus(db, silentLogger),
    clock: systemClock,
    logger: silentLogger,
  });
  let last = 0;
  service.board.listen((_id, p) => {
    if (Date.now() - last < 2000 && p.chunksDone !== p.chunksTotal) return;
    last = Date.now();
    say(`chunks ${p.chunksDone}/${p.chunksTotal}, ${p.rows} rows`);
  });
  const started = performance.now();
  const { done } = await service.start(args.job, { full: args.full });
  const run = await done;
  const ms = performance.now() - started;
  db.close();
  return { ms, rows: run.rows, bytes: run.bytes, hotRows: run.hotRows, mode: run.mode };
}

async function runDirect(): Promise<Omit<WorkerResult, 'peakRssMB'>> {
  const source = new PostgresSource({ url: args.sourceUrl, table: args.table, maxConnections: args.concurrency + 1 });
  const hot = new PostgresHotTarget({ url: args.hotUrl!, maxConnections: args.concurrency });
  const started = performance.now();
  const schema = await source.describe();
  await hot.prepare(schema);
  const writer = await hot.beginRun(`direct_${Date.now()}`, schema);
  const request: PlanRequest = { mode: 'full', cursor: null, chunkRows: args.chunkRows };
  const chunks = await source.plan(request);
  let next = 0;
  let rows = 0;
  await Promise.all(
    Array.from({ length: args.concurrency }, async () => {
      while (next < chunks.length) {
        const chunk = chunks[next++]!;
        for await (const batch of source.read(chunk, request)) {
          await writer.write(batch);
          rows += batch.length;
        }
      }
    }),
  );
  const committing = performance.now();
  const { rows: hotRows } = await writer.commit();
  const ms = performance.now() - started;
  await source.close();
  await hot.close();
  return { ms, commitMs: performance.now() - committing, rows, bytes: 0, hotRows, mode: 'full' };
}

const result = args.mode === 'job' ? await runJob() : await runDirect();
process.stdout.write(`${JSON.stringify({ ...result, peakRssMB: peakRssMB() } satisfies WorkerResult)}\n`);
