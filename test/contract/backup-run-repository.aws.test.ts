/** The run repository contract on DynamoDB (dynalite), with the table the CDK app creates. */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoJobLease } from '../../src/adapters/aws/dynamodb/backup-lease.ts';
import { DynamoBackupRunRepository } from '../../src/adapters/aws/dynamodb/backup-run-repository.ts';
import { chunkSk } from '../../src/adapters/aws/dynamodb/backup-run-items.ts';
import { BACKUPS_TABLE } from '../../src/adapters/aws/dynamodb/backup-table.ts';
import type { BackupJobSpec } from '../../src/core/backups/model.ts';
import { blankRun } from '../../src/core/backups/planner.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { startDynalite, type RunningDynalite } from '../aws/helpers/dynalite.ts';
import { describeRunRepositoryContract } from './backup-run-repository.contract.ts';

let dynalite: RunningDynalite;
beforeAll(async () => {
  dynalite = await startDynalite();
});
afterAll(async () => {
  await dynalite?.close();
});

describeRunRepositoryContract('DynamoDB', async () => {
  const table = await dynalite.table(BACKUPS_TABLE);
  const doc = dynalite.doc();
  const clock = new ManualClock();
  return {
    runs: new DynamoBackupRunRepository(doc, table),
    lease: new DynamoJobLease(doc, table, clock),
    clock,
    cleanup: async () => doc.destroy(),
  };
});

describe('DynamoBackupRunRepository without transactions', () => {
  it('counts a chunk whose first report died between marking it and adding its rows to the run', async () => {
    const table = await dynalite.table(BACKUPS_TABLE);
    const doc = dynalite.doc();
    const runs = new DynamoBackupRunRepository(doc, table);
    const id = 'r_20260301T020000Z_crashgap';
    const now = new Date('2026-03-01T02:00:00Z');
    const plan = { kind: 'rows' as const, schema: null, request: null, basedOn: null };
    await runs.create({ ...blankRun({ name: 'orders' } as BackupJobSpec, id, now, {}, plan), chunksTotal: 1 }, [
      { index: 0, label: 'all', params: {} },
    ]);
    // What the first chunkDone wrote before the process died: the chunk only.
    await doc.send(
      new UpdateCommand({
        TableName: table,
        Key: { pk: `RUN#${id}`, sk: chunkSk(0) },
        UpdateExpression: 'SET #s = :d, objectKey = :k, #r = :r, bytes = :b, sha256 = :h',
        ExpressionAttributeNames: { '#s': 'status', '#r': 'rows' },
        ExpressionAttributeValues: { ':d': 'done', ':k': 'k0', ':r': 40, ':b': 400, ':h': 'a'.repeat(64) },
      }),
    );
    await runs.chunkDone(id, 0, { key: 'k0', rows: 41, bytes: 999, sha256: 'b'.repeat(64) }, null);
    await runs.chunkDone(id, 0, { key: 'k0', rows: 41, bytes: 999, sha256: 'b'.repeat(64) }, null);
    expect(await runs.get(id)).toMatchObject({ chunksDone: 1, rows: 40, bytes: 400 });
    doc.destroy();
  });
});
