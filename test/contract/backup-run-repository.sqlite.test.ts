import { SqliteJobLease } from '../../src/adapters/local/backups/lease.ts';
import { SqliteBackupRunRepository } from '../../src/adapters/local/backups/run-repository.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { describeRunRepositoryContract } from './backup-run-repository.contract.ts';

describeRunRepositoryContract('SQLite', async () => {
  const db = openDatabase(':memory:');
  const clock = new ManualClock();
  return {
    runs: new SqliteBackupRunRepository(db),
    lease: new SqliteJobLease(db, clock),
    clock,
    cleanup: async () => {
      db.close();
    },
  };
});
