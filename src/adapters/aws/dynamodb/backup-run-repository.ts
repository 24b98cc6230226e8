/**
 * Backup runs, chunks, cursors and schedule state in DynamoDB (docs/aws-data-model.md, BACKUPS_TABLE):
 * the same contract as the SQLite repository (test/contract/backup-run-repository.contract.ts).
 *
 * DynamoDB has no transaction here (dynalite has none either), so multi-item writes are ordered to err
 * on the safe side: a run's chunks are written before the run (a crash leaves invisible chunk items);
 * `succeed` marks the run before it moves the job's cursor (a crash re-reads rows next time, it never
 * skips any); `chunkDone` marks the chunk, then adds its rows to the run under a condition naming the
 * chunk (`counted`), so a repeated or interrupted call counts each chunk exactly once.
 * State changes move the run between the gsi3 partitions under a condition on the status they read.
 */
import {
  BatchWriteCommand,
  DeleteCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { BackupRunRepository, ChunkSpec, CursorPosition, StoredObjectRef } from '../../../ports/backups.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import type { BackupRun, ChunkRecord, CommittedCursor, RunPhase } from '../../../core/backups/model.ts';
import { CairnError } from '../../../core/errors.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import {
  type ChunkItem,
  type Condition,
  type RunItem,
  chunkItem,
  chunkKey,
  clip,
  jobKey,
  runItem,
  runKey,
  stateKeys,
  toChunk,
  toRun,
  updateExpression,
} from './backup-run-items.ts';
import { type Doc, chunksOf, decodeCursor, encodeCursor, isConditionFailed, pad, pageLimit } from './dynamo.ts';

const EXISTS: Condition = { expr: 'attribute_exists(pk)' };
/** What create() records of a run besides its plan, as the SQLite repository does: nothing done yet. */
const FRESH = {
  finishedAt: null,
  cursorTo: null,
  rows: 0,
  bytes: 0,
  chunksDone: 0,
  hotRows: null,
  manifestKey: null,
  error: null,
  verifiedAt: null,
  verifyOk: null,
  verifyError: null,
  prunedAt: null,
} satisfies Partial<BackupRun>;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class DynamoBackupRunRepository implements BackupRunRepository {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async create(run: BackupRun, chunks: ChunkSpec[]): Promise<void> {
    await this.batchWrite(chunks.map((c) => ({ PutRequest: { Item: chunkItem(run.id, c) } })));
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: runItem({ ...run, ...FRESH, chunksTotal: chunks.length }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    } catch (err) {
      if (isConditionFailed(err))
        throw new CairnError('CAIRN_INTERNAL', 'internal', `Backup run ${run.id} is recorded already.`);
      throw translateAwsError(err, 'DynamoDB PutItem (backup run)');
    }
  }

  async get(id: string): Promise<BackupRun | null> {
    const out = await awsCall('DynamoDB GetItem (backup run)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: runKey(id), ConsistentRead: true })),
    );
    return out.Item ? toRun(out.Item as RunItem) : null;
  }

  /** Reads its GSI: a run created a moment ago may take up to a second to show (DynamoDB's GSI lag). */
  async unfinished(job: string): Promise<BackupRun | null> {
    const [run] = await this.queryRuns('gsi3', `RUNNING#${job}`, { limit: 1 });
    return run ?? null;
  }

  async list(job: string | null, page: PageRequest): Promise<Page<BackupRun>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor, 1)?.[0];
    const [index, partition] = job === null ? ['gsi2', 'RUNS'] : ['gsi1', `JOB#${job}`];
    const runs = await this.queryRuns(index, partition, { limit: limit + 1, newestFirst: true, below: after });
    const items = runs.slice(0, limit);
    const last = runs.length > limit ? items[limit - 1] : undefined;
    return last ? { items, cursor: encodeCursor([`${pad(last.startedAt.getTime())}#${last.id}`]) } : { items };
  }

  succeeded(job: string): Promise<BackupRun[]> {
    return this.queryRuns('gsi3', `KEPT#${job}`);
  }

  stale(job: string, before: Date): Promise<BackupRun[]> {
    return this.queryRuns('gsi3', `GONE#${job}`, { below: pad(before.getTime()) });
  }

  async chunks(runId: string): Promise<ChunkRecord[]> {
    const items = await this.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': `RUN#${runId}`, ':c': 'CHUNK#' },
      ConsistentRead: true,
    });
    return (items as unknown as ChunkItem[]).map(toChunk);
  }

  /** One chunk (a chunk task reads only its own; chunks() reads them all). */
  async chunk(runId: string, index: number): Promise<ChunkRecord | null> {
    const out = await awsCall('DynamoDB GetItem (backup chunk)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: chunkKey(runId, index), ConsistentRead: true })),
    );
    return out.Item ? toChunk(out.Item as ChunkItem) : null;
  }

  async chunkDone(runId: string, index: number, s: StoredObjectRef, maxCursor: CursorPosition | null): Promise<void> {
    let counted: StoredObjectRef | null = s;
    const marked = await this.update(
      chunkKey(runId, index),
      {
        set: {
          status: 'done',
          objectKey: s.key,
          rows: s.rows,
          bytes: s.bytes,
          sha256: s.sha256,
          maxCursor: maxCursor === null ? null : JSON.stringify(maxCursor),
          error: null,
        },
        add: { attempts: 1 },
      },
      { expr: '#s = :pending', names: { '#s': 'status' }, values: { ':pending': 'pending' } },
    );
    // Done already: count what the first call stored, in case its run update never happened.
    if (!marked) counted = (await this.chunk(runId, index))?.stored ?? null;
    if (!counted) return;
    await this.update(
      runKey(runId),
      { add: { rows: counted.rows, bytes: counted.bytes, counted: new Set([index]) } },
      { expr: 'attribute_exists(pk) AND NOT contains(#c, :i)', names: { '#c': 'counted' }, values: { ':i': index } },
    );
  }

  async chunkAttemptFailed(runId: string, index: number, error: string): Promise<void> {
    await this.update(chunkKey(runId, index), { set: { error: clip(error) }, add: { attempts: 1 } }, EXISTS);
  }

  async setPhase(runId: string, phase: RunPhase, f: { hotRows?: number; manifestKey?: string } = {}): Promise<void> {
    const set: Record<string, unknown> = { phase };
    if (f.hotRows !== undefined) set.hotRows = f.hotRows;
    if (f.manifestKey !== undefined) set.manifestKey = f.manifestKey;
    await this.update(runKey(runId), { set }, EXISTS);
  }

  async succeed(runId: string, finishedAt: Date, cursor: CommittedCursor | null): Promise<void> {
    const run = await this.transition(runId, () => ({
      status: 'succeeded',
      phase: 'done',
      finishedAt,
      cursorTo: cursor?.position ?? null,
      error: null,
    }));
    if (!run || !cursor) return;
    const item = {
      column: cursor.column,
      position: JSON.stringify(cursor.position),
      runId,
      updatedAt: finishedAt.getTime(),
    };
    await awsCall('DynamoDB PutItem (backup cursor)', () =>
      this.doc.send(new PutCommand({ TableName: this.table, Item: { ...jobKey(run.job, 'CURSOR'), ...item } })),
    );
  }

  async fail(runId: string, error: string, finishedAt: Date): Promise<void> {
    await this.transition(runId, (r) =>
      r.status === 'running' ? { status: 'failed', phase: 'failed', error: clip(error), finishedAt } : null,
    );
  }

  async cursor(job: string): Promise<CommittedCursor | null> {
    const out = await awsCall('DynamoDB GetItem (backup cursor)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: jobKey(job, 'CURSOR'), ConsistentRead: true })),
    );
    const i = out.Item as { column: string; position: string; runId: string } | undefined;
    return i ? { column: i.column, position: JSON.parse(i.position) as CursorPosition, runId: i.runId } : null;
  }

  async recordVerify(runId: string, ok: boolean, error: string | null, at: Date): Promise<void> {
    const set = { verifiedAt: at.getTime(), verifyOk: ok, verifyError: error === null ? null : clip(error) };
    await this.update(runKey(runId), { set }, EXISTS);
  }

  async markPruned(runId: string, at: Date): Promise<void> {
    await this.transition(runId, () => ({ prunedAt: at }));
  }

  /** The run first, so a crash leaves chunk items no run names (never a run without its chunks). */
  async remove(runId: string): Promise<void> {
    await awsCall('DynamoDB DeleteItem (backup run)', () =>
      this.doc.send(new DeleteCommand({ TableName: this.table, Key: runKey(runId) })),
    );
    const chunks = await this.queryAll({
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': `RUN#${runId}`, ':c': 'CHUNK#' },
      ProjectionExpression: 'sk',
    });
    await this.batchWrite(chunks.map((c) => ({ DeleteRequest: { Key: { pk: `RUN#${runId}`, sk: c.sk as string } } })));
  }

  async lastFire(job: string, schedule: string): Promise<Date | null> {
    const out = await awsCall('DynamoDB GetItem (backup schedule)', () =>
      this.doc.send(
        new GetCommand({ TableName: this.table, Key: jobKey(job, `FIRE#${schedule}`), ConsistentRead: true }),
      ),
    );
    const at = (out.Item as { lastFireAt?: number } | undefined)?.lastFireAt;
    return typeof at === 'number' ? new Date(at) : null;
  }

  async setLastFire(job: string, schedule: string, at: Date): Promise<void> {
    await awsCall('DynamoDB PutItem (backup schedule)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: { ...jobKey(job, `FIRE#${schedule}`), lastFireAt: at.getTime() },
        }),
      ),
    );
  }

  /**
   * Applies a change to a run and moves it to its new gsi3 partition, under a condition on the status
   * it read (a concurrent change makes it read again). Returns the run as it was, or null when it is
   * missing or `change` declines.
   */
  private async transition(
    runId: string,
    change: (
      run: BackupRun,
    ) => Partial<Pick<BackupRun, 'status' | 'phase' | 'finishedAt' | 'cursorTo' | 'error' | 'prunedAt'>> | null,
  ): Promise<BackupRun | null> {
    for (let attempt = 0; attempt < 5; attempt++) {
      const run = await this.get(runId);
      const next = run && change(run);
      if (!run || !next) return null;
      const set: Record<string, unknown> = { ...stateKeys({ ...run, ...next }) };
      for (const [field, value] of Object.entries(next)) {
        set[field] =
          value instanceof Date
            ? value.getTime()
            : field === 'cursorTo' && value !== null
              ? JSON.stringify(value)
              : value;
      }
      const cond = { expr: '#s = :was', names: { '#s': 'status' }, values: { ':was': run.status } };
      if (await this.update(runKey(runId), { set }, cond)) return run;
    }
    throw new CairnError('CAIRN_INTERNAL', 'internal', `Backup run ${runId} kept changing while it was updated.`);
  }

  /** UpdateItem; false when its condition failed (the item is missing or in another state). */
  private async update(
    key: Record<string, string>,
    u: { set?: Record<string, unknown>; add?: Record<string, unknown> },
    cond: Condition,
  ): Promise<boolean> {
    try {
      await this.doc.send(new UpdateCommand({ TableName: this.table, Key: key, ...updateExpression(u, cond) }));
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw translateAwsError(err, 'DynamoDB UpdateItem (backups)');
    }
  }

  private async queryRuns(
    index: string,
    partition: string,
    o: { limit?: number; newestFirst?: boolean; below?: string } = {},
  ): Promise<BackupRun[]> {
    const items = await this.queryAll(
      {
        IndexName: index,
        KeyConditionExpression: `${index}pk = :p${o.below !== undefined ? ` AND ${index}sk < :below` : ''}`,
        ExpressionAttributeValues: { ':p': partition, ...(o.below !== undefined ? { ':below': o.below } : {}) },
        ScanIndexForward: !o.newestFirst,
      },
      o.limit,
    );
    return (items as unknown as RunItem[]).map(toRun);
  }

  /** Every item a query matches (or the first `limit`), across DynamoDB's 1 MB pages. */
  private async queryAll(input: Record<string, unknown>, limit?: number): Promise<Record<string, unknown>[]> {
    const items: Record<string, unknown>[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await awsCall('DynamoDB Query (backups)', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            ...input,
            ...(limit !== undefined ? { Limit: limit - items.length } : {}),
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start && (limit === undefined || items.length < limit));
    return items;
  }

  /** BatchWriteItem in 25s, retrying what DynamoDB leaves unprocessed. */
  private async batchWrite(requests: Record<string, unknown>[]): Promise<void> {
    for (const batch of chunksOf(requests, 25)) {
      let pending = batch;
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > 8) throw new CairnError('CAIRN_AWS_THROTTLED', 'unavailable', 'DynamoDB kept items unprocessed.');
        if (attempt > 0) await sleep(Math.min(2000, 50 * 2 ** attempt));
        const out = await awsCall('DynamoDB BatchWriteItem (backups)', () =>
          this.doc.send(new BatchWriteCommand({ RequestItems: { [this.table]: pending as never } })),
        );
        pending = (out.UnprocessedItems?.[this.table] ?? []) as Record<string, unknown>[];
      }
    }
  }
}
