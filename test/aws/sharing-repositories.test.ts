/**
 * The sharing repositories' contract against the DynamoDB repositories on dynalite, and against the
 * SQLite ones, so the two stay interchangeable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DynamoAuditRepository } from '../../src/adapters/aws/dynamodb/audit-repository.ts';
import { DynamoFileRepository } from '../../src/adapters/aws/dynamodb/file-repository.ts';
import { DynamoShareRepository } from '../../src/adapters/aws/dynamodb/share-repository.ts';
import { SHARING_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { SqliteAuditRepository } from '../../src/adapters/local/sqlite/audit-repository.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteFileRepository } from '../../src/adapters/local/sqlite/file-repository.ts';
import { SqliteShareRepository } from '../../src/adapters/local/sqlite/share-repository.ts';
import { describeSharingRepositoriesContract } from './contract/sharing-repositories.contract.ts';
import { startDynalite, type RunningDynalite } from './helpers/dynalite.ts';

let dynamo: RunningDynalite | undefined;
afterAll(async () => {
  await dynamo?.close();
});

describeSharingRepositoriesContract('DynamoDB on dynalite', async () => {
  dynamo ??= await startDynalite();
  const table = await dynamo.table(SHARING_TABLE);
  const doc = dynamo.doc();
  return {
    files: new DynamoFileRepository(doc, table),
    shares: new DynamoShareRepository(doc, table),
    audit: new DynamoAuditRepository(doc, table),
    cleanup: async () => {},
  };
});

describeSharingRepositoriesContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-repos-'));
  const db = openDatabase(join(dir, 'cairn.db'));
  return {
    files: new SqliteFileRepository(db),
    shares: new SqliteShareRepository(db),
    audit: new SqliteAuditRepository(db),
    async cleanup() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
