/**
 * The notifier's grouping state in the hub table: one item per group (`pk = GRP#<id>`, `sk = GRP`)
 * holding the group and its pending events, written whole under the version the caller read (a
 * conditional PutItem — no transaction needed, which dynalite lacks and which would cost twice).
 * Groups with a flush scheduled sit in the sparse GSI1 partition `GROUP#DUE`, sorted by `nextFlushAt`.
 *
 * Pending events are a list of `{ e: eventId, f: fingerprint, s: seq }`. Sequence numbers are contiguous
 * (each add is `added + 1`), so `total` is `upTo - flushedThrough` however many entries are kept; the
 * list keeps the newest MAX_PENDING entries so a storm never grows the item past DynamoDB's 400 KB.
 * Past that many pending events in one group, the oldest ones are still counted but no longer listed
 * (nor checked for duplicates); docs/aws-data-model.md says so.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { GroupMember, NotificationGroup, NotificationGroupRepository } from '../../../ports/alerts-topic.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import { type Doc, isConditionFailed, pad } from './dynamo.ts';

export const MAX_PENDING = 2000;
const DUE = 'GROUP#DUE';

interface PendingEntry {
  e: string;
  f: string;
  s: number;
}

interface GroupItem {
  id: string;
  routeKey: string;
  channel: string;
  groupKey: string;
  createdAt: number;
  lastSentAt?: number;
  nextFlushAt?: number;
  sent: number;
  added: number;
  members: string;
  version: number;
  pending: PendingEntry[];
  flushedThrough: number;
}

const key = (id: string) => ({ pk: `GRP#${id}`, sk: 'GRP' });

const toGroup = (i: GroupItem): NotificationGroup => ({
  id: i.id,
  routeKey: i.routeKey,
  channel: i.channel,
  groupKey: i.groupKey,
  createdAt: new Date(i.createdAt),
  lastSentAt: i.lastSentAt === undefined ? null : new Date(i.lastSentAt),
  nextFlushAt: i.nextFlushAt === undefined ? null : new Date(i.nextFlushAt),
  sent: i.sent,
  added: i.added,
  members: JSON.parse(i.members) as Record<string, GroupMember>,
  version: i.version,
});

export class DynamoNotificationGroupRepository implements NotificationGroupRepository {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async get(id: string): Promise<NotificationGroup | null> {
    const item = await this.read(id);
    return item ? toGroup(item) : null;
  }

  async due(now: Date, limit: number): Promise<NotificationGroup[]> {
    const out = await awsCall('DynamoDB Query (due groups)', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :p AND gsi1sk < :until',
          ExpressionAttributeValues: { ':p': DUE, ':until': pad(now.getTime() + 1) },
          Limit: limit,
        }),
      ),
    );
    return ((out.Items ?? []) as GroupItem[]).map(toGroup);
  }

  async pending(id: string, upTo: number, limit: number) {
    const item = await this.read(id);
    if (!item) return { total: 0, latest: [], fingerprints: [] };
    const entries = item.pending.filter((p) => p.s <= upTo);
    return {
      total: Math.max(0, upTo - item.flushedThrough),
      latest: entries.slice(-limit).map((p) => p.e),
      fingerprints: [...new Set(entries.map((p) => p.f))],
    };
  }

  async addEvent(
    group: NotificationGroup,
    expectedVersion: number,
    event: { eventId: string; fingerprint: string; seq: number },
  ): Promise<'added' | 'duplicate' | 'conflict'> {
    const stored = await this.read(group.id);
    if (stored?.pending.some((p) => p.e === event.eventId)) return 'duplicate';
    if ((stored?.version ?? 0) !== expectedVersion) return 'conflict';
    const pending = [...(stored?.pending ?? []), { e: event.eventId, f: event.fingerprint, s: event.seq }].slice(
      -MAX_PENDING,
    );
    return (await this.write(group, expectedVersion, pending, stored?.flushedThrough ?? 0)) ? 'added' : 'conflict';
  }

  async commitFlush(
    id: string,
    expectedVersion: number,
    upTo: number,
    group: NotificationGroup | null,
  ): Promise<boolean> {
    const stored = await this.read(id);
    if (!stored || stored.version !== expectedVersion) return false;
    if (group === null) {
      try {
        await this.doc.send(
          new DeleteCommand({
            TableName: this.table,
            Key: key(id),
            ConditionExpression: 'version = :v',
            ExpressionAttributeValues: { ':v': expectedVersion },
          }),
        );
        return true;
      } catch (err) {
        if (isConditionFailed(err)) return false;
        throw translateAwsError(err, 'DynamoDB DeleteItem (group)');
      }
    }
    const pending = stored.pending.filter((p) => p.s > upTo);
    return this.write(group, expectedVersion, pending, Math.max(stored.flushedThrough, upTo));
  }

  private async read(id: string): Promise<GroupItem | null> {
    const out = await awsCall('DynamoDB GetItem (group)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: key(id), ConsistentRead: true })),
    );
    return (out.Item as GroupItem | undefined) ?? null;
  }

  private async write(
    g: NotificationGroup,
    expectedVersion: number,
    pending: PendingEntry[],
    flushedThrough: number,
  ): Promise<boolean> {
    try {
      await this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key(g.id),
            type: 'group',
            id: g.id,
            routeKey: g.routeKey,
            channel: g.channel,
            groupKey: g.groupKey,
            createdAt: g.createdAt.getTime(),
            lastSentAt: g.lastSentAt?.getTime(),
            nextFlushAt: g.nextFlushAt?.getTime(),
            sent: g.sent,
            added: g.added,
            members: JSON.stringify(g.members),
            version: g.version,
            pending,
            flushedThrough,
            ...(g.nextFlushAt ? { gsi1pk: DUE, gsi1sk: `${pad(g.nextFlushAt.getTime())}#${g.id}` } : {}),
          },
          ConditionExpression: expectedVersion === 0 ? 'attribute_not_exists(pk)' : 'version = :v',
          ...(expectedVersion === 0 ? {} : { ExpressionAttributeValues: { ':v': expectedVersion } }),
        }),
      );
      return true;
    } catch (err) {
      if (isConditionFailed(err)) return false;
      throw translateAwsError(err, 'DynamoDB PutItem (group)');
    }
  }
}
