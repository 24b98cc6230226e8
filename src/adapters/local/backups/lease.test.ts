import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { openDatabase } from '../sqlite/db.ts';
import { SqliteJobLease } from './lease.ts';

const setUp = () => {
  const db = openDatabase(':memory:');
  const clock = new ManualClock();
  return { db, clock, lease: new SqliteJobLease(db, clock) };
};

describe('the job lease', () => {
  it('has one holder at a time, until it releases', async () => {
    const { lease } = setUp();
    const a = await lease.acquire('orders', 10_000);
    expect(a).not.toBeNull();
    expect(await lease.acquire('orders', 10_000)).toBeNull();
    expect(await lease.acquire('other', 10_000)).not.toBeNull();
    await a!.release();
    expect(await lease.acquire('orders', 10_000)).not.toBeNull();
  });

  it('expires when its holder stops renewing; the old holder then learns it lost it', async () => {
    const { lease, clock } = setUp();
    const a = (await lease.acquire('orders', 10_000))!;
    clock.advance(9_000);
    expect(await a.renew()).toBe(true);
    clock.advance(9_000);
    expect(await lease.acquire('orders', 10_000)).toBeNull();
    clock.advance(2_000);
    const b = await lease.acquire('orders', 10_000);
    expect(b).not.toBeNull();
    expect(await a.renew()).toBe(false);
    await a.release(); // releasing a lost lease leaves the new holder's alone
    expect(await lease.acquire('orders', 10_000)).toBeNull();
  });

  it('is taken over at once from a holder on this host whose process is gone', async () => {
    const { db, lease } = setUp();
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    const put = db.prepare('INSERT OR REPLACE INTO backup_leases (job, holder, expires_at) VALUES (?, ?, ?)');
    put.run('orders', `${hostname()}:${process.ppid}:live`, Date.parse('2100-01-01'));
    expect(await lease.acquire('orders', 10_000)).toBeNull();
    put.run('orders', `${hostname()}:${child.pid}:dead`, Date.parse('2100-01-01'));
    expect(await lease.acquire('orders', 10_000)).not.toBeNull();
  });
});
