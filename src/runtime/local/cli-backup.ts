import { Presets, SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import type { BackupService } from '../../core/backups/service.ts';
import { runView } from '../../core/backups/view.ts';
import { silentLogger } from '../../ports/logger.ts';
import { withServices } from './cli-context.ts';

/** The backup service on the data directory (the server may or may not be running: the lease decides). */
async function withBackups<T>(fn: (b: BackupService) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../../config/load.ts');
  const { createBackupService } = await import('./backups.ts');
  const config = loadConfig();
  return withServices((s) => fn(createBackupService(config, { ...s, logger: silentLogger })));
}

const out = (line: string) => process.stdout.write(line + '\n');
const size = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : `${(n / 1024 ** 2).toFixed(1)} MiB`;
const secs = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(1)}s`);

/** A progress bar on a terminal; one line per finished chunk otherwise (logs, CI, tests). */
function progress(b: BackupService, runId: string, job: string, total: number) {
  const tty = process.stderr.isTTY === true;
  const bar = new SingleBar(
    { format: `${job} [{bar}] {value}/{total} chunks | {rows} rows`, hideCursor: true, stream: process.stderr },
    Presets.shades_classic,
  );
  let done = -1;
  if (tty) bar.start(total, 0, { rows: 0 });
  const stop = b.board.listen((id, p) => {
    if (id !== runId) return;
    if (tty) bar.update(p.chunksDone, { rows: p.rows });
    else if (p.chunksDone !== done) process.stderr.write(`chunks ${p.chunksDone}/${p.chunksTotal} rows ${p.rows}\n`);
    done = p.chunksDone;
  });
  return () => {
    stop();
    if (tty) bar.stop();
  };
}

export function backupCommands(program: Command) {
  const backup = program.command('backup').description('legacy backups: run, list, verify, restore and prune');

  backup
    .command('jobs')
    .description('list the backup jobs declared in cairn.yaml')
    .action(() =>
      withBackups(async (b) => {
        for (const j of b.jobs()) {
          const when = [j.schedule.incremental, j.schedule.full && `full ${j.schedule.full}`]
            .filter(Boolean)
            .join(', ');
          out(
            `${j.name}\t${j.mode}\t${j.source.type}\t${when || 'no schedule'}\t${j.hotTable ? `hot ${j.hotTable}` : 'cold only'}`,
          );
        }
      }),
    );

  backup
    .command('list [job]')
    .description('run history, newest first: id, job, mode, status, rows, bytes, duration, start, error')
    .option('-n, --limit <n>', 'how many runs', (v) => Number(v), 20)
    .action((job: string | undefined, opts: { limit: number }) =>
      withBackups(async (b) => {
        const page = await b.listRuns(job ?? null, { limit: Math.min(200, Math.max(1, opts.limit || 20)) });
        for (const r of page.items.map((x) => runView(x))) {
          const verified = r.verify ? (r.verify.ok ? 'verified' : 'VERIFY FAILED') : '';
          out(
            [
              r.id,
              r.job,
              r.mode,
              r.status,
              `${r.rows} rows`,
              size(r.bytes),
              secs(r.durationMs),
              r.startedAt,
              verified,
              r.error ?? '',
            ]
              .join('\t')
              .replace(/\t+$/, ''),
          );
        }
      }),
    );

  backup
    .command('run <job>')
    .description('run a job now (resuming its interrupted run first, if any); progress on stderr')
    .option('--full', 'a full run, whatever the job’s mode')
    .action((job: string, opts: { full?: boolean }) =>
      withBackups(async (b) => {
        const started = await b.start(job, { full: opts.full === true, trigger: 'manual' });
        if (started.resumed) process.stderr.write(`resuming interrupted run ${started.run.id}\n`);
        const stop = progress(b, started.run.id, job, started.run.chunksTotal);
        try {
          const run = await started.done;
          stop();
          out(`${run.id}\t${run.status}\t${run.mode}\t${run.rows} rows\t${size(run.bytes)}`);
        } finally {
          stop();
        }
      }),
    );

  backup
    .command('verify <job> [run]')
    .description('re-read every chunk of a run (default: every kept run) and check SHA-256 and row counts')
    .action((job: string, run: string | undefined) =>
      withBackups(async (b) => {
        const reports = await b.verify(job, run);
        for (const r of reports) {
          out(`${r.runId}\t${r.ok ? 'OK' : 'FAILED'}\t${r.chunks} chunks\t${r.rows} rows`);
          for (const p of r.problems) out(`  ${p.key}: ${p.problem}`);
        }
        if (reports.some((r) => !r.ok)) process.exitCode = 1;
      }),
    );

  backup
    .command('restore <job> <run>')
    .description('restore the state as of a run (its full run and incrementals up to it)')
    .requiredOption('--to <target>', 'sqlite:PATH, postgres://… or a directory')
    .option('--table <name>', 'the table to restore into (default: the job’s hot table or source table)')
    .option('--only-run', 'restore this run’s rows alone, not the state as of it')
    .option('--merge', 'upsert into a table that already holds rows')
    .action((job: string, runId: string, opts: { to: string; table?: string; onlyRun?: boolean; merge?: boolean }) =>
      withBackups(async (b) => {
        const { openRestoreTarget } = await import('../../adapters/local/backups/factory.ts');
        const { DirRestore } = await import('../../adapters/local/backups/dir-restore.ts');
        const spec = b.job(job);
        const to = await openRestoreTarget(opts.to, process.cwd());
        const table = opts.table ?? spec.hotTable ?? String(spec.source.table ?? job.replace(/-/g, '_'));
        const target =
          to.kind === 'dir'
            ? { kind: 'dir' as const, dir: new DirRestore(to.dir), label: to.label }
            : { kind: 'table' as const, target: to.target, table, label: to.label };
        try {
          const report = await b.restore(job, runId, target, { onlyRun: opts.onlyRun, merge: opts.merge });
          out(
            `restored ${report.rows} rows from ${report.runs.length} run(s) (${report.chunks} chunks) into ${report.target}${to.kind === 'table' ? ` table ${table}` : ''}`,
          );
        } finally {
          if (to.kind === 'table') await to.target.close();
        }
      }),
    );

  backup
    .command('prune <job>')
    .description('delete cold objects of runs the retention rules no longer keep')
    .option('--dry-run', 'list what would go, delete nothing')
    .action((job: string, opts: { dryRun?: boolean }) =>
      withBackups(async (b) => {
        const report = await b.prune(job, { dryRun: opts.dryRun === true });
        const verb = report.dryRun ? 'would remove' : 'removed';
        for (const r of report.removed) out(`${verb}\t${r.runId}\t${r.finishedAt}\t${r.objects} objects\t${r.reason}`);
        for (const k of report.kept) out(`keep\t${k.runId}\t${k.reasons.join(', ')}`);
        for (const id of report.forgotten) out(`${report.dryRun ? 'would forget' : 'forgot'}\t${id}`);
      }),
    );
}
