/**
 * Delivery records in the hub table: one item per (event, target), `pk = DLV#<eventId>`, `sk = <target>`.
 * The record id is derived from that key, so recordAttempt is one UpdateItem with no lookup. A record
 * that succeeded stays succeeded: a late failure (a duplicate racing the first delivery) only counts as
 * an attempt — the same rule as the SQLite repository, expressed as a condition.
 */
import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { DeliveryRecord, DeliveryStatus } from '../../../core/alerts/model.ts';
import type { DeliveryBatches } from '../../../ports/alerts-topic.ts';
import type { DeliveryRepository } from '../../../ports/alerts.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import { type Doc, isConditionFailed, mapLimit } from './dynamo.ts';

const idOf = (eventId: string, target: string) =>
  `dlv_${Buffer.from(`${eventId}\n${target}`, 'utf8').toString('base64url')}`;

function keyOf(id: string): { pk: string; sk: string } | null {
  if (!id.startsWith('dlv_')) return null;
  const [eventId, target, ...rest] = Buffer.from(id.slice(4), 'base64url').toString('utf8').split('\n');
  return eventId && target && rest.length === 0 ? { pk: `DLV#${eventId}`, sk: target } : null;
}

interface DeliveryItem {
  id: string;
  eventId: string;
  target: string;
  status: DeliveryStatus;
  attempts: number;
  lastError?: string;
  lastAttemptAt?: string;
  deliveredAt?: string;
}

const toRecord = (i: DeliveryItem): DeliveryRecord => ({
  id: i.id,
  eventId: i.eventId,
  target: i.target,
  status: i.status,
  attempts: i.attempts,
  lastError: i.lastError ?? null,
  lastAttemptAt: i.lastAttemptAt ?? null,
  deliveredAt: i.deliveredAt ?? null,
});

export class DynamoDeliveryRepository implements DeliveryRepository, DeliveryBatches {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async ensure(eventId: string, target: string): Promise<DeliveryRecord> {
    const out = await awsCall('DynamoDB UpdateItem (delivery)', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: { pk: `DLV#${eventId}`, sk: target },
          UpdateExpression:
            'SET id = if_not_exists(id, :id), eventId = :e, target = :t, #status = if_not_exists(#status, :pending), attempts = if_not_exists(attempts, :zero)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':id': idOf(eventId, target),
            ':e': eventId,
            ':t': target,
            ':pending': 'pending',
            ':zero': 0,
          },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return toRecord(out.Attributes as DeliveryItem);
  }

  ensureAll(eventIds: string[], target: string): Promise<DeliveryRecord[]> {
    return mapLimit(eventIds, 16, (id) => this.ensure(id, target));
  }

  async recordAttempt(id: string, outcome: { status: DeliveryStatus; error: string | null; at: Date }): Promise<void> {
    const Key = keyOf(id);
    if (!Key) return;
    const at = outcome.at.toISOString();
    const succeeded = outcome.status === 'succeeded';
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key,
          UpdateExpression: `SET attempts = attempts + :one, lastAttemptAt = :at, #status = :status${
            outcome.error === null ? '' : ', lastError = :error'
          }${succeeded ? ', deliveredAt = if_not_exists(deliveredAt, :at)' : ''}${outcome.error === null ? ' REMOVE lastError' : ''}`,
          ConditionExpression: 'attribute_exists(pk) AND #status <> :succeeded',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':one': 1,
            ':at': at,
            ':status': outcome.status,
            ':succeeded': 'succeeded',
            ...(outcome.error === null ? {} : { ':error': outcome.error }),
          },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB UpdateItem (delivery attempt)');
      // Already succeeded (or unknown): count the attempt, change nothing else.
      try {
        await this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key,
            UpdateExpression: 'SET attempts = attempts + :one, lastAttemptAt = :at',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':one': 1, ':at': at },
          }),
        );
      } catch (again) {
        if (!isConditionFailed(again)) throw translateAwsError(again, 'DynamoDB UpdateItem (delivery attempt)');
      }
    }
  }

  async recordAttempts(
    ids: string[],
    outcome: { status: DeliveryStatus; error: string | null; at: Date },
  ): Promise<void> {
    await mapLimit(ids, 16, (id) => this.recordAttempt(id, outcome));
  }

  async listForEvent(eventId: string): Promise<DeliveryRecord[]> {
    const out = await awsCall('DynamoDB Query (deliveries)', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: 'pk = :p',
          ExpressionAttributeValues: { ':p': `DLV#${eventId}` },
          ConsistentRead: true,
        }),
      ),
    );
    return ((out.Items ?? []) as DeliveryItem[]).map(toRecord);
  }
}
