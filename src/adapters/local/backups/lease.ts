/**
 * The job lease in the embedded database: one row per job with its holder and an expiry the holder
 * renews. The CLI and the server share the database, so they exclude each other too. A holder on this
 * host whose process is gone (kill -9) is taken over at once instead of after the expiry.
 */
import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../../core/clock.ts';
import type { JobLease, LeaseHandle } from '../../../ports/backups.ts';
import type { Db } from '../sqlite/db.ts';

const HOST = hostname();

/** `host:pid:random` */
const newHolder = () => `${HOST}:${process.pid}:${randomBytes(6).toString('hex')}`;

/** True when the holder names a process on this host that no longer exists. */
export function holderIsDead(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== HOST || !pid || !/^\d+$/.test(pid)) return false;
  if (Number(pid) === process.pid) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export class SqliteJobLease implements JobLease {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async acquire(job: string, ttlMs: number): Promise<LeaseHandle | null> {
    const holder = newHolder();
    const { db, clock } = this;
    const take = db.transaction(() => {
      const now = clock.now().getTime();
      const current = db.prepare('SELECT holder, expires_at FROM backup_leases WHERE job = ?').get(job) as
        { holder: string; expires_at: number } | undefined;
      if (current && current.expires_at > now && !holderIsDead(current.holder)) return false;
      db.prepare(
        `INSERT INTO backup_leases (job, holder, expires_at) VALUES (?, ?, ?)
         ON CONFLICT (job) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at`,
      ).run(job, holder, now + ttlMs);
      return true;
    });
    if (!take.immediate()) return null;
    return {
      holder,
      renew: async () =>
        db
          .prepare('UPDATE backup_leases SET expires_at = ? WHERE job = ? AND holder = ?')
          .run(clock.now().getTime() + ttlMs, job, holder).changes === 1,
      release: async () => {
        db.prepare('DELETE FROM backup_leases WHERE job = ? AND holder = ?').run(job, holder);
      },
    };
  }
}
