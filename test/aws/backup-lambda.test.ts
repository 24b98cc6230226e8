/**
 * The backup Lambda handlers driven as the state machine drives them (plan → chunks in parallel, each
 * retried → finalize; fail on any error), on real parts: Postgres (legacy source and hot database),
 * dynalite (runs, lease), s3rver (cold copies). SQS and Secrets Manager are mocked (no emulator here);
 * the hub's enrich step runs for real on what the fail step sent, with SNS mocked.
 */
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoEventHistory } from '../../src/adapters/aws/dynamodb/event-history.ts';
import { EVENTS_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { S3ObjectStore } from '../../src/adapters/aws/s3-object-store.ts';
import { SnsTopic } from '../../src/adapters/aws/sns-topic.ts';
import { FetchHttpClient } from '../../src/adapters/local/http-client.ts';
import { configSchema } from '../../src/config/schema.ts';
import { Enricher } from '../../src/core/alerts/enrich/enricher.ts';
import { EnrichWorker } from '../../src/core/alerts/workers/enrich-worker.ts';
import type { BackupDeps } from '../../src/core/backups/context.ts';
import { verifyRun } from '../../src/core/backups/verify.ts';
import { silentLogger } from '../../src/ports/logger.ts';
import { withBuiltinSources } from '../../src/runtime/local/hub-sources.ts';
import { MIN_LAMBDA_LEASE_MS } from '../../src/runtime/lambda/backup-compose.ts';
import { backupChunkHandler } from '../../src/runtime/lambda/backup-chunk.ts';
import { backupPlannerHandler } from '../../src/runtime/lambda/backup-planner.ts';
import type { BackupTasks, FailOutput, FinalizeOutput, PlanOutput } from '../../src/runtime/lambda/backup-tasks.ts';
import { startBackupStack, type BackupStack } from './helpers/backup-stack.ts';
import { forgetChunkDone, hashOf, seedOrders, stagingTables } from './helpers/backup-sources.ts';

vi.hoisted(() => {
  // Before Powertools is imported: the handlers' logs and metrics stay out of the test output.
  process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
  process.env.POWERTOOLS_METRICS_DISABLED = 'true';
});

let h: BackupStack;
beforeAll(async () => {
  h = await startBackupStack();
}, 120_000);
afterAll(async () => {
  await h?.close();
});

const job = (table: string, hotTable: string, over: Record<string, unknown> = {}) => ({
  source: { type: 'postgres', urlEnv: 'LEGACY_DB_URL', table },
  mode: 'incremental',
  cursor: { column: 'updated_at' },
  // On AWS the hot database is the deployment's (HOT_DB_SECRET_ID): only the table is taken from here.
  hot: { postgres: { urlEnv: 'LOCAL_HOT_DB_URL' }, table: hotTable },
  cold: { chunkRows: 1000 },
  notify: { onSuccess: true },
  ...over,
});

function handlers(tasks: BackupTasks) {
  const planner = backupPlannerHandler(tasks);
  const chunk = backupChunkHandler(tasks);
  return {
    plan: (name: string, mode = 'incremental') =>
      planner({
        action: 'plan',
        job: name,
        mode: mode as 'full',
        startedAt: h.clock.now().toISOString(),
      }) as Promise<PlanOutput>,
    chunk: (name: string, runId: string, index: number) =>
      chunk({ action: 'chunk', job: name, runId, chunk: { index } }),
    finalize: (name: string, runId: string) =>
      planner({ action: 'finalize', job: name, runId }) as Promise<FinalizeOutput>,
    fail: (name: string, runId: string, err: Error) =>
      planner({
        action: 'fail',
        job: name,
        runId,
        error: { Error: err.name, Cause: JSON.stringify({ errorType: err.name, errorMessage: err.message }) },
      }) as Promise<FailOutput>,
  };
}

/** One execution: plan, every chunk (each tried up to 3 times, as the Map's Retry), finalize; fail on error. */
async function execute(tasks: BackupTasks, name: string, mode = 'incremental') {
  const t = handlers(tasks);
  let runId = `execution-${Math.random().toString(36).slice(2)}`;
  h.clock.advance(60_000); // time passes between two fires
  try {
    const plan = await t.plan(name, mode);
    runId = plan.runId;
    const results = await Promise.allSettled(
      plan.chunks.map(async (c) => {
        for (let attempt = 1; ; attempt++) {
          try {
            return await t.chunk(name, runId, c.index);
          } catch (err) {
            if (attempt === 3) throw err;
          }
        }
      }),
    );
    const failure = results.find((r) => r.status === 'rejected');
    if (failure) throw failure.reason;
    return { ok: true as const, plan, done: await t.finalize(name, runId) };
  } catch (err) {
    return { ok: false as const, err: err as Error, failed: await t.fail(name, runId, err as Error) };
  }
}

const deps = (): BackupDeps => ({ runs: h.runs, cold: h.cold, clock: h.clock }) as unknown as BackupDeps;
const events = (type: string) =>
  h
    .sent()
    .filter((e) => (JSON.parse(e.rawBody) as { type: string }).type === type)
    .map((e) => ({ ...e, body: JSON.parse(e.rawBody) }));

describe('backup functions on AWS', () => {
  it('copy the source to the hot table and to S3, then only what changed since the cursor', async () => {
    await seedOrders(h, 'orders', 2500);
    const tasks = h.tasks({ orders: job('orders', 'orders_hot') });
    const first = await execute(tasks, 'orders');
    expect(first.ok, String(!first.ok && first.err)).toBe(true);
    if (!first.ok) return;
    expect(first.plan.chunks).toHaveLength(3);
    expect(first.done).toMatchObject({ status: 'succeeded', rows: 2500, bytes: expect.any(Number), hotRows: 2500 });
    expect(await hashOf(h, 'hot', 'orders_hot')).toEqual(await hashOf(h, 'legacy', 'orders'));
    expect(await stagingTables(h)).toEqual([]);

    const run = (await h.runs.get(first.plan.runId))!;
    expect(run).toMatchObject({ mode: 'full', status: 'succeeded', phase: 'done', chunksDone: 3, rows: 2500 });
    const report = await verifyRun(deps(), run);
    expect(report).toMatchObject({ ok: true, chunks: 3, rows: 2500, problems: [] });
    expect(events('backup.finished').map((e) => e.body.data)).toEqual([
      expect.objectContaining({ job: 'orders', runId: run.id, status: 'succeeded', rows: 2500 }),
    ]);

    await h.legacy(`UPDATE orders SET note = 'changed', updated_at = now() WHERE id % 250 = 0`);
    await h.legacy(`INSERT INTO orders (id, customer, amount, updated_at, doc, note)
      SELECT g, 'new', 1.5, now(), '{"new": true}', NULL FROM generate_series(2501, 2520) g`);
    const second = await execute(tasks, 'orders');
    expect(second.ok).toBe(true);
    if (!second.ok) return;
    expect(second.done).toMatchObject({ rows: 30, hotRows: 30 });
    expect(await h.runs.get(second.plan.runId)).toMatchObject({ mode: 'incremental', plan: { basedOn: run.id } });
    expect(await hashOf(h, 'hot', 'orders_hot')).toEqual(await hashOf(h, 'legacy', 'orders'));
  });

  it('skip a chunk recorded done, and redo one that died before it was recorded without duplicating rows', async () => {
    const tasks = h.tasks({ retry: job('orders', 'orders_retry') });
    const t = handlers(tasks);
    const plan = await t.plan('retry');
    const first = await t.chunk('retry', plan.runId, 0);
    expect(first).toMatchObject({ index: 0, rows: expect.any(Number), skipped: false });
    expect(first.rows).toBeGreaterThan(0);
    expect(await t.chunk('retry', plan.runId, 0)).toEqual({ ...first, skipped: true });
    await t.chunk('retry', plan.runId, 1);
    // The task copied chunk 1 (cold object and staged rows), then died before its record was written.
    await forgetChunkDone(h, plan.runId, 1);
    expect(await h.runs.get(plan.runId)).toMatchObject({ chunksDone: 1, rows: first.rows });
    expect(await t.chunk('retry', plan.runId, 1)).toMatchObject({ skipped: false, rows: first.rows });
    await t.chunk('retry', plan.runId, 2);
    const done = await t.finalize('retry', plan.runId);
    const total = (await h.legacy<{ n: number }>('SELECT count(*)::int AS n FROM orders'))[0]!.n;
    expect(done).toMatchObject({ status: 'succeeded', rows: total, hotRows: total });
    expect(await hashOf(h, 'hot', 'orders_retry')).toEqual(await hashOf(h, 'legacy', 'orders'));
    const run = (await h.runs.get(plan.runId))!;
    expect(run).toMatchObject({ chunksDone: 3, rows: total });
    expect((await verifyRun(deps(), run)).ok).toBe(true);
    expect(await t.finalize('retry', plan.runId)).toEqual(done); // a retried finalize answers the same
  });

  it('mark a failed run failed, remove what it copied, keep the live table, and tell the hub', async () => {
    await seedOrders(h, 'fragile', 2500);
    const tasks = h.tasks({ fragile: job('fragile', 'fragile_hot', { notify: { onFailure: true } }) });
    expect((await execute(tasks, 'fragile')).ok).toBe(true);
    const before = await hashOf(h, 'hot', 'fragile_hot');
    const t = handlers(tasks);
    await h.legacy(`UPDATE fragile SET updated_at = now()`);
    const plan = await t.plan('fragile');
    await t.chunk('fragile', plan.runId, 0);
    await h.legacy('ALTER TABLE fragile RENAME TO fragile_moved');
    const err = await t.chunk('fragile', plan.runId, 1).then(
      () => null,
      (e: Error) => e,
    );
    expect(err?.name).toMatch(/^CAIRN_BACKUP_SOURCE_/);
    const failed = await t.fail('fragile', plan.runId, err!);
    expect(failed).toMatchObject({ runId: plan.runId, status: 'failed', error: expect.stringContaining(err!.name) });
    expect(await h.runs.get(plan.runId)).toMatchObject({ status: 'failed', phase: 'failed' });
    const objects = new S3ObjectStore({ client: h.s3.client(), bucket: h.bucket });
    expect((await objects.list(`backups/fragile/${plan.runId}/`)).items).toEqual([]);
    expect(await stagingTables(h)).toEqual([]);
    expect(await hashOf(h, 'hot', 'fragile_hot')).toEqual(before);

    const [reported] = events('backup.failed');
    expect(reported).toMatchObject({
      source: 'cairn',
      body: { data: { job: 'fragile', runId: plan.runId, status: 'failed' } },
    });
    await t.fail('fragile', plan.runId, err!); // Step Functions retried the fail step: same event id
    expect(events('backup.failed').map((e) => e.eventId)).toEqual([reported!.eventId, reported!.eventId]);

    // The hub's enrich step turns it into an error on its SNS topic (mocked: no SNS emulator here).
    const snsClient = new SNSClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const sns = mockClient(snsClient).on(PublishCommand).resolves({ MessageId: 'n1' });
    const alerts = configSchema.parse({}).alerts;
    const worker = new EnrichWorker({
      enricher: new Enricher({ config: withBuiltinSources(alerts), http: new FetchHttpClient(), clock: h.clock }),
      history: new DynamoEventHistory({
        doc: h.dynalite.doc(),
        table: await h.dynalite.table(EVENTS_TABLE),
        retentionSeconds: 86_400,
      }),
      topic: new SnsTopic({ client: snsClient, topicArn: 'arn:aws:sns:eu-west-1:123456789012:cairn-hub' }),
      clock: h.clock,
      logger: silentLogger,
      retentionSeconds: 86_400,
      backoff: { baseSeconds: 1, maxSeconds: 10 },
    });
    const message = { id: 'm1', body: reported!, receiveCount: 1, receipt: 'r', sentAt: h.clock.now() };
    expect(await worker.handle(message)).toBe('ack');
    const published = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(JSON.parse(published.Message!)).toMatchObject({ eventId: reported!.eventId, source: 'cairn' });
    expect(published.MessageAttributes).toMatchObject({
      source: { StringValue: 'cairn' },
      severity: { StringValue: 'error' },
    });

    await h.legacy('ALTER TABLE fragile_moved RENAME TO fragile');
    expect((await execute(tasks, 'fragile')).ok).toBe(true); // the lease was released
    expect(await hashOf(h, 'hot', 'fragile_hot')).toEqual(await hashOf(h, 'legacy', 'fragile'));
  });

  it('refuse a command source, naming the job, and record the failed plan', async () => {
    const tasks = h.tasks({ dump: { source: { type: 'command', argv: ['pg_dump', 'legacy'] } } });
    const result = await execute(tasks, 'dump', 'full');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.err).toMatchObject({
      name: 'CAIRN_BACKUP_SOURCE_NOT_ON_LAMBDA',
      code: 'CAIRN_BACKUP_SOURCE_NOT_ON_LAMBDA',
    });
    expect(result.err.message).toContain('backups.jobs.dump');
    expect(result.failed.status).toBe('failed');
    const runs = await h.runs.list('dump', {});
    expect(runs.items).toEqual([
      expect.objectContaining({
        id: result.failed.runId,
        status: 'failed',
        error: expect.stringContaining('NOT_ON_LAMBDA'),
      }),
    ]);
    // The lease was released: the next fire fails for the same reason, not because a run holds the job.
    await expect(handlers(tasks).plan('dump', 'full')).rejects.toMatchObject({
      name: 'CAIRN_BACKUP_SOURCE_NOT_ON_LAMBDA',
    });
  });

  it('skip a fire while a run holds the job, and fail a run whose execution ended without it', async () => {
    const tasks = h.tasks({ leased: job('orders', 'orders_leased', { notify: { onLate: true } }) });
    const t = handlers(tasks);
    const a = await t.plan('leased');
    const busy = await t.plan('leased').then(
      () => null,
      (e: Error) => e,
    );
    expect(busy?.name).toBe('CAIRN_BACKUP_RUNNING');
    expect(await t.fail('leased', 'execution-b', busy!)).toMatchObject({ status: 'skipped', runId: null });
    expect(events('backup.late').at(-1)?.body.data).toMatchObject({ job: 'leased', skipped: true });
    expect(await h.runs.get(a.runId)).toMatchObject({ status: 'running' });

    // Execution A stops after one chunk (timed out, aborted): nothing renews its lease any more.
    await t.chunk('leased', a.runId, 0);
    h.clock.advance(MIN_LAMBDA_LEASE_MS + 1000);
    const c = await execute(tasks, 'leased');
    expect(c.ok).toBe(true);
    expect(await h.runs.get(a.runId)).toMatchObject({ status: 'failed', error: expect.stringContaining('abandoned') });
    const objects = new S3ObjectStore({ client: h.s3.client(), bucket: h.bucket });
    expect((await objects.list(`backups/leased/${a.runId}/`)).items).toEqual([]);
    expect(await hashOf(h, 'hot', 'orders_leased')).toEqual(await hashOf(h, 'legacy', 'orders'));
    // A's late task finds its lease taken; its fail step leaves the run to the new holder.
    const lost = await t.chunk('leased', a.runId, 1).then(
      () => null,
      (e: Error) => e,
    );
    expect(lost?.name).toBe('CAIRN_BACKUP_LEASE_LOST');
    // Failed with the lease-lost reason: without that branch the run would keep the "abandoned" one.
    expect(await t.fail('leased', a.runId, lost!)).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('CAIRN_BACKUP_LEASE_LOST'),
    });
  });

  it('apply the retention after a run: older copies beyond keepLast go', async () => {
    const tasks = h.tasks({
      kept: job('orders', 'orders_kept', { mode: 'full', cursor: undefined, retention: { keepLast: 1 } }),
    });
    const first = await execute(tasks, 'kept', 'full');
    const second = await execute(tasks, 'kept', 'full');
    expect(first.ok && second.ok).toBe(true);
    if (!first.ok || !second.ok) return;
    expect(second.done.pruned).toBe(1);
    expect((await h.runs.get(first.plan.runId))!.prunedAt).not.toBeNull();
    const objects = new S3ObjectStore({ client: h.s3.client(), bucket: h.bucket });
    expect((await objects.list(`backups/kept/${first.plan.runId}/`)).items).toEqual([]);
    const kept = await objects.list(`backups/kept/${second.plan.runId}/`);
    expect(kept.items).toHaveLength(second.plan.chunks.length + 1); // its chunks and its manifest
  });
});
