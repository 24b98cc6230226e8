import { join } from 'node:path';
import type { Command } from 'commander';
import type { SqliteQueues } from '../../adapters/local/sqlite/queue.ts';

/** Opens the hub's queue database in this process (the server may be running: SQLite WAL allows both). */
async function withQueues<T>(fn: (queues: SqliteQueues, names: string[]) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../../config/load.ts');
  const { openDatabase } = await import('../../adapters/local/sqlite/db.ts');
  const { SqliteQueues } = await import('../../adapters/local/sqlite/queue.ts');
  const config = loadConfig();
  const file = join(config.dataDir, 'queue.db');
  const db = openDatabase(file);
  const names = db.prepare('SELECT DISTINCT queue FROM queue_messages ORDER BY queue').pluck().all() as string[];
  const queues = await SqliteQueues.open({ file, writer: 'inline', db });
  try {
    return await fn(queues, names);
  } finally {
    await queues.close();
    db.close();
  }
}

export function alertCommands(alerts: Command) {
  alerts
    .command('queues')
    .description('depth of every hub queue: visible, in flight, delayed, dead')
    .action(() =>
      withQueues(async (queues, names) => {
        process.stdout.write('queue\tvisible\tinFlight\tdelayed\tdead\n');
        for (const name of names) {
          const d = await queues.queue(name).depth();
          process.stdout.write(`${name}\t${d.visible}\t${d.inFlight}\t${d.delayed}\t${d.dead}\n`);
        }
      }),
    );

  const dlq = alerts.command('dlq').description("a queue's dead letters (poison messages)");
  dlq
    .command('list')
    .description('list dead letters of a queue')
    .option('--queue <name>', 'events, notify, channel:<name> or sub:<name>', 'events')
    .action((opts: { queue: string }) =>
      withQueues(async (queues) => {
        let cursor: string | undefined;
        do {
          const page = await queues.queue(opts.queue).listDead({ limit: 200, ...(cursor ? { cursor } : {}) });
          for (const d of page.items) {
            process.stdout.write(
              `${d.id}\t${d.deadAt.toISOString()}\treceived ${d.receiveCount}×\t${d.lastError ?? ''}\n`,
            );
          }
          cursor = page.cursor;
        } while (cursor);
      }),
    );
  dlq
    .command('redrive')
    .description('move dead letters back to their queue (all, or the given ids)')
    .option('--queue <name>', 'events, notify, channel:<name> or sub:<name>', 'events')
    .option('--id <ids...>', 'only these message ids')
    .action((opts: { queue: string; id?: string[] }) =>
      withQueues(async (queues) => {
        const n = await queues.queue(opts.queue).redrive(opts.id);
        process.stdout.write(`redrove ${n} message${n === 1 ? '' : 's'} to ${opts.queue}\n`);
      }),
    );
}
