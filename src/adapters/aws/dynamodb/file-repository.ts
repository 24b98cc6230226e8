/**
 * Files in the sharing table (docs/aws-data-model.md): one item per file, `pk = FILE#<id>`, `sk = FILE`.
 * The sweeper's two lists are sparse GSI2 partitions, kept by the writes that change a file's state:
 * - `FILE#PENDING`, sorted by upload expiry: pending uploads (listStalePending);
 * - `FILE#UNSHARED`, sorted by `readySk`: ready files no active share uses. A file never shared sorts by
 *   its creation time (so the grace period is a key condition); a file whose last share ended sorts at 0.
 * `activeShares` is a string set of the shares that use the file: ADD/DELETE of a share id are
 * idempotent, so a retried share write never miscounts (share-repository.ts keeps it).
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FileStatus, StoredFile } from '../../../core/sharing/model.ts';
import type { FileRepository } from '../../../ports/repositories.ts';
import { awsCall, translateAwsError } from '../errors.ts';
import { type Doc, isConditionFailed, pad } from './dynamo.ts';

export const fileKey = (id: string) => ({ pk: `FILE#${id}`, sk: 'FILE' });
export const PENDING = 'FILE#PENDING';
export const UNSHARED = 'FILE#UNSHARED';
/** The UNSHARED sort key of a file whose shares all ended: always inside the sweeper's window. */
export const endedSk = (id: string) => `${pad(0)}#${id}`;

interface FileItem {
  id: string;
  owner: string;
  name: string;
  size: number;
  contentType: string;
  sha256?: string;
  status: FileStatus;
  objectKey: string;
  createdAt: number;
  uploadExpiresAt: number;
  readySk: string;
}

const toFile = (i: FileItem): StoredFile => ({
  id: i.id,
  owner: i.owner,
  name: i.name,
  size: i.size,
  contentType: i.contentType,
  sha256: i.sha256 ?? null,
  status: i.status,
  objectKey: i.objectKey,
  createdAt: new Date(i.createdAt),
  uploadExpiresAt: new Date(i.uploadExpiresAt),
});

export class DynamoFileRepository implements FileRepository {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async insert(f: StoredFile): Promise<void> {
    const readySk = `${pad(f.createdAt.getTime())}#${f.id}`;
    const index =
      f.status === 'pending'
        ? { gsi2pk: PENDING, gsi2sk: `${pad(f.uploadExpiresAt.getTime())}#${f.id}` }
        : f.status === 'ready'
          ? { gsi2pk: UNSHARED, gsi2sk: readySk }
          : {};
    await awsCall('DynamoDB PutItem (file)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            ...fileKey(f.id),
            type: 'file',
            id: f.id,
            owner: f.owner,
            name: f.name,
            size: f.size,
            contentType: f.contentType,
            sha256: f.sha256 ?? undefined,
            status: f.status,
            objectKey: f.objectKey,
            createdAt: f.createdAt.getTime(),
            uploadExpiresAt: f.uploadExpiresAt.getTime(),
            readySk,
            ...index,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
  }

  async get(id: string): Promise<StoredFile | null> {
    const out = await awsCall('DynamoDB GetItem (file)', () =>
      this.doc.send(new GetCommand({ TableName: this.table, Key: fileKey(id), ConsistentRead: true })),
    );
    return out.Item ? toFile(out.Item as FileItem) : null;
  }

  async markReady(id: string, f: { size: number; sha256: string; contentType: string }): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(id),
          UpdateExpression:
            'SET #status = :ready, #size = :size, sha256 = :sha, contentType = :ct, gsi2pk = :unshared, gsi2sk = readySk',
          ConditionExpression: '#status = :pending',
          ExpressionAttributeNames: { '#status': 'status', '#size': 'size' },
          ExpressionAttributeValues: {
            ':ready': 'ready',
            ':pending': 'pending',
            ':size': f.size,
            ':sha': f.sha256,
            ':ct': f.contentType,
            ':unshared': UNSHARED,
          },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return; // like the SQL: only a pending file becomes ready
      throw translateAwsError(err, 'DynamoDB UpdateItem (file ready)');
    }
  }

  async markDeleted(id: string): Promise<void> {
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.table,
          Key: fileKey(id),
          UpdateExpression: 'SET #status = :deleted REMOVE gsi2pk, gsi2sk',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':deleted': 'deleted' },
        }),
      );
    } catch (err) {
      if (isConditionFailed(err)) return;
      throw translateAwsError(err, 'DynamoDB UpdateItem (file deleted)');
    }
  }

  listStalePending(now: Date, limit: number): Promise<StoredFile[]> {
    return this.below(PENDING, now.getTime(), limit);
  }

  listUnshared(olderThan: Date, limit: number): Promise<StoredFile[]> {
    return this.below(UNSHARED, olderThan.getTime(), limit);
  }

  /** Items of a GSI2 partition whose sort key is strictly before `ms`, oldest first. */
  private async below(partition: string, ms: number, limit: number): Promise<StoredFile[]> {
    const out = await awsCall('DynamoDB Query (files)', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          IndexName: 'gsi2',
          KeyConditionExpression: 'gsi2pk = :p AND gsi2sk < :before',
          ExpressionAttributeValues: { ':p': partition, ':before': pad(ms) },
          Limit: limit,
        }),
      ),
    );
    return (out.Items ?? []).map((i) => toFile(i as FileItem));
  }
}
