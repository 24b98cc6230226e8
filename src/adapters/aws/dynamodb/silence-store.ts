/**
 * One-off silences in the hub table: `pk = SIL#<id>`, `sk = SIL`, and all of them in the GSI1 partition
 * `SILENCES` sorted by creation (the admin list). `current` reads that partition and keeps those not
 * ended: silences are few, and the notifier caches them between events.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SilenceRecord, SilenceStore } from '../../../ports/alerts-topic.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import { type Doc, decodeCursor, encodeCursor, isConditionFailed, pad, pageLimit } from './dynamo.ts';

interface SilenceItem {
  gsi1sk: string;
  id: string;
  match: string;
  startsAt: string;
  endsAt: string;
  endsMs: number;
  comment?: string;
  createdBy?: string;
  createdAt: string;
}

const toSilence = (i: SilenceItem): SilenceRecord => ({
  id: i.id,
  match: JSON.parse(i.match) as Record<string, unknown>,
  startsAt: i.startsAt,
  endsAt: i.endsAt,
  comment: i.comment ?? null,
  createdBy: i.createdBy ?? null,
  createdAt: i.createdAt,
});

const key = (id: string) => ({ pk: `SIL#${id}`, sk: 'SIL' });
const iso = (s: string) => new Date(Date.parse(s)).toISOString();

export class DynamoSilenceStore implements SilenceStore {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async create(s: SilenceRecord): Promise<void> {
    await awsCall('DynamoDB PutItem (silence)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...key(s.id),
            type: 'silence',
            id: s.id,
            match: JSON.stringify(s.match),
            startsAt: iso(s.startsAt),
            endsAt: iso(s.endsAt),
            endsMs: Date.parse(s.endsAt),
            comment: s.comment ?? undefined,
            createdBy: s.createdBy ?? undefined,
            createdAt: iso(s.createdAt),
            gsi1pk: 'SILENCES',
            gsi1sk: `${pad(Date.parse(s.createdAt))}#${s.id}`,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(id: string): Promise<SilenceRecord | null> {
    const out = await awsCall('DynamoDB GetItem (silence)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: key(id), ConsistentRead: true })),
    );
    return out.Item ? toSilence(out.Item as SilenceItem) : null;
  }

  async expire(id: string, at: Date): Promise<SilenceRecord | null> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: key(id),
          UpdateExpression: 'SET endsAt = :at, endsMs = :ms',
          ConditionExpression: 'attribute_exists(pk) AND endsMs > :ms',
          ExpressionAttributeValues: { ':at': at.toISOString(), ':ms': at.getTime() },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB UpdateItem (silence)');
    }
    return this.get(id);
  }

  async current(now: Date): Promise<SilenceRecord[]> {
    const items: SilenceItem[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await awsCall('DynamoDB Query (silences)', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            FilterExpression: 'endsMs > :now',
            ExpressionAttributeValues: { ':p': 'SILENCES', ':now': now.getTime() },
            ExclusiveStartKey: start,
          }),
        ),
      );
      items.push(...((out.Items ?? []) as SilenceItem[]));
      start = out.LastEvaluatedKey;
    } while (start);
    return items.sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt)).map(toSilence);
  }

  async list(page: PageRequest): Promise<Page<SilenceRecord>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor, 1)?.[0];
    const out = await awsCall('DynamoDB Query (silences)', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi1',
          KeyConditionExpression: after ? 'gsi1pk = :p AND gsi1sk < :after' : 'gsi1pk = :p',
          ExpressionAttributeValues: { ':p': 'SILENCES', ...(after ? { ':after': after } : {}) },
          ScanIndexForward: false,
          Limit: limit + 1,
        }),
      ),
    );
    const rows = (out.Items ?? []) as SilenceItem[];
    const items = rows.slice(0, limit).map(toSilence);
    return rows.length > limit ? { items, cursor: encodeCursor([rows[limit - 1]!.gsi1sk]) } : { items };
  }
}
