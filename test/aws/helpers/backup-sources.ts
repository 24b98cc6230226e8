/** Source tables, row comparisons and DynamoDB pokes for the backup Lambda tests. */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { chunkKey, runKey } from '../../../src/adapters/aws/dynamodb/backup-run-items.ts';
import { PostgresSource } from '../../../src/adapters/local/backups/sources/postgres.ts';
import { sortedRowsHash } from '../../helpers/rows.ts';
import type { BackupStack } from './backup-stack.ts';

/** `count` orders: a bigint key, text, an exact numeric, a cursor with ties (250 rows a second), jsonb, nulls. */
export async function seedOrders(h: BackupStack, table: string, count: number): Promise<void> {
  await h.legacy(`CREATE TABLE ${table} (id bigint PRIMARY KEY, customer text NOT NULL, amount numeric(12, 2),
    updated_at timestamptz NOT NULL, doc jsonb, note text)`);
  await h.legacy(
    `INSERT INTO ${table} SELECT g, 'customer ' || (g % 97), g * 1.25,
       timestamptz '2026-01-01 00:00:00Z' + (g / 250) * interval '1 second', jsonb_build_object('n', g, 'tags', jsonb_build_array('a', g)),
       CASE WHEN g % 5 = 0 THEN NULL ELSE 'n' || g END
     FROM generate_series(1, $1::int) g`,
    [count],
  );
}

/** Every row of a table, read back through the Postgres source, as an order-independent hash. */
export async function hashOf(h: BackupStack, database: string, table: string) {
  const source = new PostgresSource({ url: h.pg.urlFor(database), table });
  try {
    return await sortedRowsHash(source);
  } finally {
    await source.close();
  }
}

export async function stagingTables(h: BackupStack): Promise<string[]> {
  const rows = await h.hot<{ t: string }>(
    `SELECT tablename AS t FROM pg_tables WHERE tablename LIKE '\\_cairn\\_stage\\_%'`,
  );
  return rows.map((r) => r.t);
}

/**
 * Undoes what chunkDone recorded for a chunk (its record, and its rows in the run's counts), leaving
 * its cold object and staged rows: the state a chunk task leaves when it dies just before recording.
 */
export async function forgetChunkDone(h: BackupStack, runId: string, index: number): Promise<void> {
  const doc = h.dynalite.doc();
  const chunk = (await doc.send(new GetCommand({ TableName: h.table, Key: chunkKey(runId, index) }))).Item!;
  await doc.send(
    new UpdateCommand({
      TableName: h.table,
      Key: chunkKey(runId, index),
      UpdateExpression: 'SET #s = :pending REMOVE objectKey, #r, bytes, sha256, maxCursor',
      ExpressionAttributeNames: { '#s': 'status', '#r': 'rows' },
      ExpressionAttributeValues: { ':pending': 'pending' },
    }),
  );
  await doc.send(
    new UpdateCommand({
      TableName: h.table,
      Key: runKey(runId),
      UpdateExpression: 'DELETE counted :i ADD #r :r, bytes :b',
      ExpressionAttributeNames: { '#r': 'rows' },
      ExpressionAttributeValues: { ':i': new Set([index]), ':r': -chunk.rows, ':b': -chunk.bytes },
    }),
  );
  doc.destroy();
}
