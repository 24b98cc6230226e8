/**
 * `nextRunAt` on GET /api/backups/jobs: on a real server (the schedule read in the job's time zone,
 * the answer as the OpenAPI document says), and through the routes with a clock the test sets, across
 * a DST change, for rate() and at() schedules and with both a full and an incremental schedule.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextFireTimes, wallClock } from '../../src/core/backups/schedule/index.ts';
import { ManualClock } from '../../src/core/clock.ts';
import type { Env } from '../../src/http/context.ts';
import { mapError } from '../../src/http/error-mapper.ts';
import { backupRoutes } from '../../src/http/routes/backups.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { cleanup, harness, makeOrders, ordersJob, tempDir } from '../backups/harness.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { expectDocumented } from './openapi-schema.ts';

type Json = Record<string, any>;

describe('GET /api/backups/jobs on a real server', () => {
  let s: TestServer;
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    makeOrders(join(dir, 'legacy.db'), 10).close();
    const config = join(dir, 'cairn.yaml');
    writeFileSync(
      config,
      [
        'backups:',
        '  jobs:',
        '    orders:',
        `      source: { type: sqlite, path: "${join(dir, 'legacy.db')}", table: orders }`,
        '      mode: incremental',
        '      cursor: { column: updated_at }',
        '      schedule: { incremental: "cron(0 3 * * ? *)", timeZone: Europe/Paris }',
      ].join('\n'),
    );
    s = await startTestServer({ CAIRN_CONFIG: config });
  });
  afterAll(async () => {
    await s.stop();
    await cleanup(dir);
  });

  it("gives each job's next run, 03:00 on the wall clock of its time zone", async () => {
    const before = nextFireTimes('cron(0 3 * * ? *)', { from: new Date(), count: 1, timeZone: 'Europe/Paris' })[0]!;
    const res = await s.api('/api/backups/jobs', { token: await s.login() });
    const after = nextFireTimes('cron(0 3 * * ? *)', { from: new Date(), count: 1, timeZone: 'Europe/Paris' })[0]!;
    expect(res.status).toBe(200);
    const body = (await res.json()) as Json;
    expectDocumented('GET', '/api/backups/jobs', 200, body);
    const [job] = body.items;
    expect([before.toISOString(), after.toISOString()]).toContain(job.nextRunAt);
    expect(job.nextRunKind).toBe('incremental');
    const local = wallClock(Date.parse(job.nextRunAt), 'Europe/Paris');
    expect([local.hour, local.minute]).toEqual([3, 0]);
    expect(new Date(job.nextRunAt).getUTCHours()).not.toBe(3); // Paris is never UTC
  });
});

describe('nextRunAt with a clock the test sets', () => {
  let dir: string;
  const clock = new ManualClock(new Date('2026-03-28T12:00:00Z'));
  const admin = { username: 'admin', displayName: 'Admin', admin: true };

  async function jobsFor(jobs: Record<string, unknown>): Promise<Json[]> {
    const h = await harness(dir, jobs, { clock });
    try {
      const app = new Hono<Env>();
      app.onError((err, c) => mapError(err, c, silentLogger));
      app.use('*', async (c, next) => {
        c.set('principal', admin);
        c.set('authVia', 'bearer');
        await next();
      });
      app.route('/api', backupRoutes({ backups: h.service, clock }));
      return ((await (await app.request('/api/backups/jobs')).json()) as Json).items;
    } finally {
      h.close();
    }
  }
  const byName = (items: Json[]) => Object.fromEntries(items.map((j) => [j.name, [j.nextRunAt, j.nextRunKind]]));

  beforeAll(async () => {
    dir = await tempDir();
    makeOrders(join(dir, 'legacy.db'), 10).close();
  });
  afterAll(() => cleanup(dir));

  it('skips a wall-clock time the spring-forward night does not have', async () => {
    // 02:30 does not exist in Paris on 2026-03-29; the next run is 02:30 CEST on the 30th.
    const items = await jobsFor({
      nightly: ordersJob(dir, { schedule: { incremental: 'cron(30 2 * * ? *)', timeZone: 'Europe/Paris' } }),
      utc: ordersJob(dir, { schedule: { incremental: 'cron(30 2 * * ? *)' } }),
    });
    expect(byName(items)).toEqual({
      nightly: ['2026-03-30T00:30:00.000Z', 'incremental'],
      utc: ['2026-03-29T02:30:00.000Z', 'incremental'],
    });
  });

  it('takes the earlier of the full and incremental schedules, the full one on a tie', async () => {
    const items = await jobsFor({
      both: ordersJob(dir, { schedule: { incremental: 'rate(1 hour)', full: 'cron(0 18 ? * SAT *)' } }),
      tie: ordersJob(dir, { schedule: { incremental: 'cron(0 13 * * ? *)', full: 'cron(0 13 ? * SAT *)' } }),
    });
    expect(byName(items)).toEqual({
      both: ['2026-03-28T13:00:00.000Z', 'incremental'],
      tie: ['2026-03-28T13:00:00.000Z', 'full'],
    });
  });

  it("counts rate() from the schedule's startDate, as the scheduler fires it", async () => {
    // Every 7 hours from 2026-03-28 10:20 UTC: the next one after 12:00 is 17:20 (from the epoch: 15:00).
    const items = await jobsFor({
      started: ordersJob(dir, { schedule: { incremental: 'rate(7 hours)', startDate: '2026-03-28T10:20:00Z' } }),
      epoch: ordersJob(dir, { schedule: { incremental: 'rate(7 hours)' } }),
    });
    expect(byName(items)).toEqual({
      started: ['2026-03-28T17:20:00.000Z', 'incremental'],
      epoch: ['2026-03-28T15:00:00.000Z', 'incremental'],
    });
  });

  it('is null for a job without a schedule, or once its schedule will not fire again', async () => {
    const items = await jobsFor({
      manual: ordersJob(dir),
      past: ordersJob(dir, { schedule: { incremental: 'at(2025-01-01T00:00:00)' } }),
      soon: ordersJob(dir, { schedule: { incremental: 'at(2026-04-01T09:00:00)', timeZone: 'America/New_York' } }),
    });
    expect(byName(items)).toEqual({
      manual: [null, null],
      past: [null, null],
      soon: ['2026-04-01T13:00:00.000Z', 'incremental'],
    });
  });
});
