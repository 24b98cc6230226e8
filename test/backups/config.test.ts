import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupsSchema } from '../../src/config/backups.ts';
import { loadConfig } from '../../src/config/load.ts';
import { jobSpec } from '../../src/config/backup-jobs.ts';

export const EXAMPLE = `
backups:
  jobs:
    orders:
      source:
        type: postgres
        urlEnv: LEGACY_REPLICA_URL
        table: orders
      mode: incremental
      cursor: { column: updated_at }
      schedule:
        incremental: 'rate(15 minutes)'
        full: 'cron(0 3 ? * SUN *)'
        timeZone: Europe/Paris
      hot: { postgres: { urlEnv: HOT_DB_URL } }
      cold: { compression: gzip, level: 1, chunkRows: 50000 }
      retention: { cold: 365d, keepLast: 10, keepDaily: 14, keepWeekly: 8, keepMonthly: 12, keepYearly: 3 }
      concurrency: 4
      missedRunPolicy: runOnce
      notify: { onSuccess: true }
    ledger-dump:
      source: { type: command, argv: [pg_dump, --format=custom, --table=ledger, postgres://legacy/app], fileName: ledger.dump }
      schedule: { incremental: 'cron(30 2 * * ? *)' }
      retention: { keepDaily: 7, keepMonthly: 6 }
`;

const issues = (value: unknown) => {
  const r = backupsSchema.safeParse(value);
  return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
};

describe('the backups: section of cairn.yaml', () => {
  it('loads the README example through loadConfig, with durations and defaults', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cairn-config-'));
    try {
      await writeFile(join(dir, 'cairn.yaml'), EXAMPLE);
      const config = loadConfig({ CAIRN_CONFIG: 'cairn.yaml' }, dir);
      const orders = config.backups.jobs.orders!;
      expect(orders.retention).toMatchObject({ cold: 365 * 86400, keepLast: 10 });
      expect(orders).toMatchObject({ retries: 3, lateAfter: 300, notify: { onSuccess: true, onFailure: true } });
      expect(jobSpec('orders', orders)).toMatchObject({
        hotTable: 'orders',
        cursor: { column: 'updated_at' },
        source: { type: 'postgres', url: '$LEGACY_REPLICA_URL', table: 'orders' },
        schedule: { incremental: 'rate(15 minutes)', full: 'cron(0 3 ? * SUN *)' },
      });
      expect(jobSpec('ledger-dump', config.backups.jobs['ledger-dump']!)).toMatchObject({
        hotTable: null,
        mode: 'full',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses what cannot work, naming the key and the reason', () => {
    const sqlite = { type: 'sqlite', path: 'x.db', table: 't' };
    expect(issues({ jobs: { a: { source: sqlite, mode: 'incremental' } } })).toEqual([
      'jobs.a.cursor: an incremental job needs cursor.column',
    ]);
    expect(issues({ jobs: { a: { source: sqlite, schedule: { incremental: 'cron(0 3 * * * *)' } } } })[0]).toMatch(
      /^jobs\.a\.schedule\.incremental: .*\?/,
    );
    expect(issues({ jobs: { a: { source: sqlite, schedule: { timeZone: 'Mars/Olympus' } } } })).toEqual([
      'jobs.a.schedule.timeZone: not a known IANA time zone',
    ]);
    expect(issues({ jobs: { a: { source: { type: 'file', path: 'x' }, hot: { sqlite: 'h.db' } } } })).toEqual([
      'jobs.a.hot: a command or file source has no rows for a hot target',
    ]);
    expect(issues({ jobs: { a: { source: { ...sqlite, query: 'select 1' } } } })).toContain(
      'jobs.a.source: give exactly one of table or query',
    );
    expect(issues({ jobs: { a: { source: sqlite, cold: { compression: 'zstd' } } } })[0]).toMatch(
      /^jobs\.a\.cold\.compression/,
    );
    expect(issues({ jobs: { a: { source: sqlite, retention: { cold: '1 year' } } } })[0]).toMatch(/is not a duration/);
    expect(issues({ jobs: { A: { source: sqlite } } })[0]).toMatch(/^jobs\.A: /);
  });
});
