/**
 * Runtime topic subscriptions in the hub table: `pk = SUB`, `sk = <name>` — one partition, read whole on
 * each publish (there are few). The signing secret is stored as given (the hub signs with it); the table
 * is encrypted at rest with the deployment's KMS key.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { FilterPolicy, FilterPolicyScope } from '../../../core/alerts/filter-policy/index.ts';
import type { SubscriptionRecord, SubscriptionStore } from '../../../ports/alerts-topic.ts';
import { awsCall } from '../errors.ts';
import type { Doc } from './dynamo.ts';

interface SubscriptionItem {
  name: string;
  endpoint: string;
  secret: string;
  filterPolicy?: string;
  filterPolicyScope: FilterPolicyScope;
  maxReceiveCount: number;
  createdAt: string;
}

const toRecord = (i: SubscriptionItem): SubscriptionRecord => ({
  name: i.name,
  endpoint: i.endpoint,
  secret: i.secret,
  filterPolicy: i.filterPolicy === undefined ? null : (JSON.parse(i.filterPolicy) as FilterPolicy),
  filterPolicyScope: i.filterPolicyScope,
  maxReceiveCount: i.maxReceiveCount,
  createdAt: i.createdAt,
});

export class DynamoSubscriptionStore implements SubscriptionStore {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async put(s: SubscriptionRecord): Promise<void> {
    await awsCall('DynamoDB PutItem (subscription)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: 'SUB',
            sk: s.name,
            type: 'subscription',
            name: s.name,
            endpoint: s.endpoint,
            secret: s.secret,
            filterPolicy: s.filterPolicy === null ? undefined : JSON.stringify(s.filterPolicy),
            filterPolicyScope: s.filterPolicyScope,
            maxReceiveCount: s.maxReceiveCount,
            createdAt: s.createdAt,
          },
        }),
      ),
    );
  }

  async get(name: string): Promise<SubscriptionRecord | null> {
    const out = await awsCall('DynamoDB GetItem (subscription)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: { pk: 'SUB', sk: name }, ConsistentRead: true })),
    );
    return out.Item ? toRecord(out.Item as SubscriptionItem) : null;
  }

  async delete(name: string): Promise<boolean> {
    const out = await awsCall('DynamoDB DeleteItem (subscription)', () =>
      this.doc.send(
        new DeleteCommand({ TableName: this.table, Key: { pk: 'SUB', sk: name }, ReturnValues: 'ALL_OLD' }),
      ),
    );
    return out.Attributes !== undefined;
  }

  async list(): Promise<SubscriptionRecord[]> {
    const items: SubscriptionRecord[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await awsCall('DynamoDB Query (subscriptions)', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            KeyConditionExpression: 'pk = :p',
            ExpressionAttributeValues: { ':p': 'SUB' },
            ConsistentRead: true,
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...((out.Items ?? []) as SubscriptionItem[]).map(toRecord));
      start = out.LastEvaluatedKey;
    } while (start);
    return items;
  }
}
