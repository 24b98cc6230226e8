/**
 * The download audit trail in the sharing table: one item per download in its share's partition,
 * `pk = SHARE#<shareId>`, `sk = DL#<at>#<id>`, listed newest first with a plain Query (no index).
 */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { DownloadRecord } from '../../../core/sharing/model.ts';
import type { AuditRepository, Page, PageRequest } from '../../../ports/repositories.ts';
import { awsCall } from '../errors.ts';
import { type Doc, decodeCursor, encodeCursor, pad, pageLimit } from './dynamo.ts';

interface DownloadItem {
  sk: string;
  id: string;
  shareId: string;
  fileId?: string;
  fileName: string;
  actor: string;
  ip: string;
  userAgent: string;
  at: number;
}

export class DynamoAuditRepository implements AuditRepository {
  constructor(
    private readonly doc: Doc,
    private readonly table: string,
  ) {}

  async recordDownload(r: DownloadRecord): Promise<void> {
    await awsCall('DynamoDB PutItem (download)', () =>
      this.doc.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            pk: `SHARE#${r.shareId}`,
            sk: `DL#${pad(r.at.getTime())}#${r.id}`,
            type: 'download',
            id: r.id,
            shareId: r.shareId,
            fileId: r.fileId ?? undefined,
            fileName: r.fileName,
            actor: r.actor,
            ip: r.ip,
            userAgent: r.userAgent,
            at: r.at.getTime(),
          },
        }),
      ),
    );
  }

  async listDownloads(shareId: string, page: PageRequest): Promise<Page<DownloadRecord>> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor, 1)?.[0];
    if (after !== undefined && !after.startsWith('DL#')) decodeCursor('x', 1); // throws CAIRN_INVALID_CURSOR
    const out = await awsCall('DynamoDB Query (downloads)', () =>
      this.doc.send(
        new QueryCommand({
          TableName: this.table,
          KeyConditionExpression: after ? 'pk = :p AND sk BETWEEN :lo AND :hi' : 'pk = :p AND begins_with(sk, :dl)',
          ExpressionAttributeValues: {
            ':p': `SHARE#${shareId}`,
            ...(after ? { ':lo': 'DL#', ':hi': after } : { ':dl': 'DL#' }),
          },
          ScanIndexForward: false,
          Limit: limit + 2, // BETWEEN includes the cursor's own item
          ConsistentRead: true,
        }),
      ),
    );
    const rows = ((out.Items ?? []) as DownloadItem[]).filter((i) => i.sk !== after).slice(0, limit + 1);
    const items: DownloadRecord[] = rows.slice(0, limit).map((i) => ({
      id: i.id,
      shareId: i.shareId,
      fileId: i.fileId ?? null,
      fileName: i.fileName,
      actor: i.actor,
      ip: i.ip,
      userAgent: i.userAgent,
      at: new Date(i.at),
    }));
    return rows.length > limit ? { items, cursor: encodeCursor([rows[limit - 1]!.sk]) } : { items };
  }
}
