/**
 * Shares in the sharing table (docs/aws-data-model.md). A share is one item (`SHARE#<id>` / `SHARE`) with
 * its file ids and recipients, plus one link item per recipient (`SHARE#<id>` / `TO#<user>`):
 * - GSI1 `OWNER#<owner>` lists an owner's shares; `RECEIVED#<user>` lists what a user received (the
 *   link leaves that index when the share ends);
 * - GSI2 `SHARE#ACTIVE`, sorted by expiry, is what expireDue reads; `SHARE#CLEANUP` holds shares that
 *   ended but whose files and links are not updated yet — a small outbox, finished by the next sweep,
 *   so a crash between the status change and the cleanup leaves no file counted as shared forever.
 *
 * No transactions (dynalite has none, and single-item writes cost half): writes that span items are
 * ordered so a crash errs on the safe side. A new share first adds itself to each file's `activeShares`
 * set (idempotent), then writes its recipient links, then itself (the commit point); a crash in between
 * keeps a file longer, never deletes one a share still uses.
 */
import {
  BatchGetCommand,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import type { Share, ShareKind, ShareStatus } from '../../../core/sharing/model.ts';
import type { Page, PageRequest, ShareRepository } from '../../../ports/repositories.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import {
  type Doc,
  chunksOf,
  decodeCursor,
  encodeCursor,
  isConditionFailed,
  mapLimit,
  pad,
  pageLimit,
} from './dynamo.ts';
import { UNSHARED, endedSk, fileKey } from './file-repository.ts';

const shareKey = (id: string) => ({ pk: `SHARE#${id}`, sk: 'SHARE' });
const linkKey = (id: string, user: string) => ({ pk: `SHARE#${id}`, sk: `TO#${user}` });
const ACTIVE = 'SHARE#ACTIVE';
const CLEANUP = 'SHARE#CLEANUP';

interface ShareItem {
  id: string;
  owner: string;
  kind: ShareKind;
  fileIds: string[];
  recipients: string[];
  createdAt: number;
  expiresAt: number;
  maxDownloads?: number;
  downloadCount: number;
  passwordHash?: string;
  status: ShareStatus;
  revokedAt?: number;
}

const toShare = (i: ShareItem): Share => ({
  id: i.id,
  owner: i.owner,
  kind: i.kind,
  fileIds: i.fileIds,
  recipients: [...i.recipients].sort(),
  createdAt: new Date(i.createdAt),
  expiresAt: new Date(i.expiresAt),
  maxDownloads: i.maxDownloads ?? null,
  downloadCount: i.downloadCount,
  passwordHash: i.passwordHash ?? null,
  status: i.status,
  revokedAt: i.revokedAt === undefined ? null : new Date(i.revokedAt),
});

export class DynamoShareRepository implements ShareRepository {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async insert(s: Share): Promise<void> {
    const active = s.status === 'active';
    if (active) await mapLimit(s.fileIds, 10, (f) => this.claimFile(f, s.id));
    const sortKey = `${pad(s.createdAt.getTime())}#${s.id}`;
    const share = {
      ...shareKey(s.id),
      type: 'share',
      id: s.id,
      owner: s.owner,
      kind: s.kind,
      fileIds: s.fileIds,
      recipients: s.recipients,
      createdAt: s.createdAt.getTime(),
      expiresAt: s.expiresAt.getTime(),
      maxDownloads: s.maxDownloads ?? undefined,
      downloadCount: s.downloadCount,
      passwordHash: s.passwordHash ?? undefined,
      status: s.status,
      revokedAt: s.revokedAt?.getTime(),
      gsi1pk: `OWNER#${s.owner}`,
      gsi1sk: sortKey,
      ...(active ? { gsi2pk: ACTIVE, gsi2sk: `${pad(s.expiresAt.getTime())}#${s.id}` } : {}),
    };
    const links = s.recipients.map((user) => ({
      ...linkKey(s.id, user),
      type: 'recipient',
      shareId: s.id,
      expiresAt: s.expiresAt.getTime(),
      ...(active ? { gsi1pk: `RECEIVED#${user}`, gsi1sk: sortKey } : {}),
    }));
    // Links first, the share last: a link whose share was never written is skipped by listReceived.
    await mapLimit(links, 10, (Item) =>
      awsCall('DynamoDB PutItem (recipient link)', () =>
        this.doc.send(new PutCommand({ TableName: this.table, Item })),
      ),
    );
    await awsCall('DynamoDB PutItem (share)', () =>
      this.doc.send(
        new PutCommand({ TableName: this.table, Item: share, ConditionExpression: 'attribute_not_exists(pk)' }),
      ),
    );
  }

  async get(id: string): Promise<Share | null> {
    const out = await awsCall('DynamoDB GetItem (share)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: shareKey(id), ConsistentRead: true })),
    );
    return out.Item ? toShare(out.Item as ShareItem) : null;
  }

  async listByOwner(owner: string, page: PageRequest): Promise<Page<Share>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor, 1);
    const out = await this.query({
      IndexName: 'gsi1',
      KeyConditionExpression: after ? 'gsi1pk = :p AND gsi1sk < :after' : 'gsi1pk = :p',
      ExpressionAttributeValues: { ':p': `OWNER#${owner}`, ...(after ? { ':after': after[0] } : {}) },
      ScanIndexForward: false,
      Limit: limit + 1,
    });
    const items = out.slice(0, limit).map((i) => toShare(i as unknown as ShareItem));
    const last = out.length > limit ? (out[limit - 1] as { gsi1sk: string }) : undefined;
    return last ? { items, cursor: encodeCursor([last.gsi1sk]) } : { items };
  }

  async listReceived(user: string, now: Date, page: PageRequest): Promise<Page<Share>> {
    const limit = pageLimit(page.limit);
    let after = decodeCursor(page.cursor, 1)?.[0];
    const found: { sk: string; share: Share }[] = [];
    // Links leave the index when a share ends; expiry is checked here too (the sweeper may lag).
    for (let rounds = 0; found.length <= limit && rounds < 20; rounds++) {
      const links = await this.query({
        IndexName: 'gsi1',
        KeyConditionExpression: after ? 'gsi1pk = :p AND gsi1sk < :after' : 'gsi1pk = :p',
        ExpressionAttributeValues: { ':p': `RECEIVED#${user}`, ...(after ? { ':after': after } : {}) },
        ScanIndexForward: false,
        Limit: limit + 1 - found.length,
      });
      if (links.length === 0) break;
      const shares = await this.batchGet(links.map((l) => l.shareId as string));
      for (const l of links) {
        const share = shares.get(l.shareId as string);
        if (share && share.status === 'active' && share.expiresAt.getTime() > now.getTime())
          found.push({ sk: l.gsi1sk as string, share });
      }
      after = links[links.length - 1]!.gsi1sk as string;
      if (links.length < limit + 1) break;
    }
    const items = found.slice(0, limit).map((f) => f.share);
    return found.length > limit ? { items, cursor: encodeCursor([found[limit - 1]!.sk]) } : { items };
  }

  async claimDownload(id: string, now: Date): Promise<Share | null> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: shareKey(id),
          UpdateExpression: 'SET downloadCount = downloadCount + :one',
          ConditionExpression:
            '#status = :active AND expiresAt > :now AND (attribute_not_exists(maxDownloads) OR downloadCount < maxDownloads)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':one': 1, ':active': 'active', ':now': now.getTime() },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toShare(out.Attributes as ShareItem);
    } catch (err) {
      if (isConditionFailed(err)) return null;
      throw translateAwsError(err, 'DynamoDB UpdateItem (claim download)');
    }
  }

  async revoke(id: string, at: Date): Promise<boolean> {
    const ended = await this.end(id, 'revoked', at, null);
    if (ended) await this.cleanup(ended);
    return ended !== null;
  }

  async revokeAllByOwner(owner: string, at: Date): Promise<string[]> {
    const ids: string[] = [];
    let start: Record<string, unknown> | undefined;
    do {
      const out = await awsCall('DynamoDB Query (shares of owner)', () =>
        this.doc.send(
          new QueryCommand({
            TableName: this.table,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :p',
            FilterExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':p': `OWNER#${owner}`, ':active': 'active' },
            ExclusiveStartKey: start,
          }),
        ),
      );
      for (const item of out.Items ?? []) if (await this.revoke(item.id as string, at)) ids.push(item.id as string);
      start = out.LastEvaluatedKey;
    } while (start);
    return ids;
  }

  async expireDue(now: Date, limit: number): Promise<Share[]> {
    // First finish cleanups a crash left behind (they are not "expired now", so not returned).
    for (const item of await this.query({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p',
      ExpressionAttributeValues: { ':p': CLEANUP },
      Limit: limit,
    }))
      await this.cleanup(toShare(item as unknown as ShareItem));
    const due = await this.query({
      IndexName: 'gsi2',
      KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :until',
      ExpressionAttributeValues: { ':p': ACTIVE, ':until': pad(now.getTime() + 1) },
      Limit: limit,
    });
    const expired: Share[] = [];
    for (const item of due) {
      const share = await this.end(item.id as string, 'expired', null, now);
      if (!share) continue;
      await this.cleanup(share);
      expired.push(share);
    }
    return expired;
  }

  /** Moves an active share to `status` (into the cleanup outbox); null if it was not active (or not due). */
  private async end(
    id: string,
    status: ShareStatus,
    revokedAt: Date | null,
    dueBy: Date | null,
  ): Promise<Share | null> {
    try {
      const out = await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: shareKey(id),
          UpdateExpression: `SET #status = :status, gsi2pk = :cleanup${revokedAt ? ', revokedAt = :at' : ''}`,
          ConditionExpression: `#status = :active${dueBy ? ' AND expiresAt <= :due' : ''}`,
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':status': status,
            ':cleanup': CLEANUP,
            ':active': 'active',
            ...(revokedAt ? { ':at': revokedAt.getTime() } : {}),
            ...(dueBy ? { ':due': dueBy.getTime() } : {}),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return toShare(out.Attributes as ShareItem);
    } catch (err) {
      if (isConditionFailed(err)) return null;
      throw translateAwsError(err, 'DynamoDB UpdateItem (end share)');
    }
  }

  /** Releases an ended share's files and recipient links, then leaves the cleanup outbox. Idempotent. */
  private async cleanup(share: Share): Promise<void> {
    await mapLimit(share.fileIds, 10, (f) => this.releaseFile(f, share.id));
    await mapLimit(share.recipients, 10, (user) =>
      awsCall('DynamoDB UpdateItem (recipient link)', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: linkKey(share.id, user),
            UpdateExpression: 'REMOVE gsi1pk, gsi1sk',
          }),
        ),
      ),
    );
    await awsCall('DynamoDB UpdateItem (share cleaned up)', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: shareKey(share.id),
          UpdateExpression: 'REMOVE gsi2pk, gsi2sk',
        }),
      ),
    );
  }

  /** Records that `shareId` uses the file, taking it out of the sweeper's UNSHARED list. */
  private async claimFile(fileId: string, shareId: string): Promise<void> {
    await awsCall('DynamoDB UpdateItem (file shared)', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(fileId),
          UpdateExpression: 'ADD activeShares :s REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk) AND #status = :ready',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':s': new Set([shareId]), ':ready': 'ready' },
        }),
      ),
    ).catch(async (err) => {
      const cause = (err as { cause?: unknown }).cause;
      if (!isConditionFailed(cause)) throw err;
      // Not ready (the service checks that first; a race with the sweeper): count it, leave its index alone.
      await awsCall('DynamoDB UpdateItem (file shared)', () =>
        this.doc.send(
          new UpdateCommand({
            TableName: this.table,
            Key: fileKey(fileId),
            UpdateExpression: 'ADD activeShares :s',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':s': new Set([shareId]) },
          }),
        ),
      );
    });
  }

  /** Removes `shareId` from the file's users; the last one out puts a ready file on the UNSHARED list. */
  private async releaseFile(fileId: string, shareId: string): Promise<void> {
    const out = await awsCall('DynamoDB UpdateItem (file released)', () =>
      this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(fileId),
          UpdateExpression: 'DELETE activeShares :s',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':s': new Set([shareId]) },
          ReturnValues: 'ALL_NEW',
        }),
      ),
    ).catch((err) => {
      if (isConditionFailed((err as { cause?: unknown }).cause)) return null; // no such file
      throw err;
    });
    const item = out?.Attributes;
    if (!item || item.activeShares !== undefined || item.status !== 'ready') return;
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(fileId),
          UpdateExpression: 'SET gsi2pk = :unshared, gsi2sk = :sk',
          ConditionExpression: 'attribute_not_exists(activeShares) AND #status = :ready',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':unshared': UNSHARED, ':sk': endedSk(fileId), ':ready': 'ready' },
        }),
      );
    } catch (err) {
      if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB UpdateItem (file unshared)');
      // A new share claimed it meanwhile: it stays off the list.
    }
  }

  private async query(input: Omit<QueryCommandInput, 'TableName'>): Promise<Record<string, unknown>[]> {
    const out = await awsCall('DynamoDB Query (shares)', () =>
      this.doc.send(new QueryCommand({ TableName: this.table, ...input })),
    );
    return out.Items ?? [];
  }

  private async batchGet(ids: string[]): Promise<Map<string, Share>> {
    const found = new Map<string, Share>();
    for (const chunk of chunksOf([...new Set(ids)], 100)) {
      let keys: Record<string, unknown>[] | undefined = chunk.map(shareKey);
      for (let attempt = 0; keys && keys.length > 0 && attempt < 5; attempt++) {
        const out = await awsCall('DynamoDB BatchGetItem (shares)', () =>
          this.doc.send(new BatchGetCommand({ RequestItems: { [this.table]: { Keys: keys!, ConsistentRead: true } } })),
        );
        for (const item of out.Responses?.[this.table] ?? []) found.set(item.id as string, toShare(item as ShareItem));
        keys = out.UnprocessedKeys?.[this.table]?.Keys;
      }
    }
    return found;
  }
}
