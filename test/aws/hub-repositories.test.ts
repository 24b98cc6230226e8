/**
 * The hub repositories' contract against the DynamoDB adapters on dynalite, and against the SQLite
 * ones, so the two stay interchangeable.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { DynamoDeliveryRepository } from '../../src/adapters/aws/dynamodb/delivery-repository.ts';
import { DynamoEventHistory } from '../../src/adapters/aws/dynamodb/event-history.ts';
import { DynamoNotificationGroupRepository } from '../../src/adapters/aws/dynamodb/notification-group-repository.ts';
import { DynamoSilenceStore } from '../../src/adapters/aws/dynamodb/silence-store.ts';
import { DynamoSubscriptionStore } from '../../src/adapters/aws/dynamodb/subscription-store.ts';
import { EVENTS_TABLE, HUB_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { ManualClock } from '../../src/core/clock.ts';
import { openDatabase } from '../../src/adapters/local/sqlite/db.ts';
import { SqliteDeliveryRepository } from '../../src/adapters/local/sqlite/delivery-repository.ts';
import { SqliteEventHistory } from '../../src/adapters/local/sqlite/event-history.ts';
import { SqliteNotificationGroupRepository } from '../../src/adapters/local/sqlite/notification-group-repository.ts';
import { SqliteSilenceStore } from '../../src/adapters/local/sqlite/silence-store.ts';
import { SqliteSubscriptionStore } from '../../src/adapters/local/sqlite/subscription-store.ts';
import { describeHubRepositoriesContract } from './contract/hub-repositories.contract.ts';
import { startDynalite, type RunningDynalite } from './helpers/dynalite.ts';

let dynamo: RunningDynalite | undefined;
afterAll(async () => {
  await dynamo?.close();
});

describeHubRepositoriesContract('DynamoDB on dynalite', async () => {
  dynamo ??= await startDynalite();
  const [events, hub] = [await dynamo.table(EVENTS_TABLE), await dynamo.table(HUB_TABLE)];
  const doc = dynamo.doc();
  return {
    history: new DynamoEventHistory({
      doc,
      table: events,
      retentionSeconds: 400 * 86400,
      clock: new ManualClock(new Date('2026-03-15T00:00:00Z')),
    }),
    deliveries: new DynamoDeliveryRepository(doc, hub),
    subscriptions: new DynamoSubscriptionStore(doc, hub),
    silences: new DynamoSilenceStore(doc, hub),
    groups: new DynamoNotificationGroupRepository(doc, hub),
    cleanup: async () => {},
  };
});

describeHubRepositoriesContract('SQLite', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cairn-hub-'));
  const db = openDatabase(join(dir, 'cairn.db'));
  return {
    history: new SqliteEventHistory(db),
    deliveries: new SqliteDeliveryRepository(db),
    subscriptions: new SqliteSubscriptionStore(db),
    silences: new SqliteSilenceStore(db),
    groups: new SqliteNotificationGroupRepository(db),
    async cleanup() {
      db.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
});
