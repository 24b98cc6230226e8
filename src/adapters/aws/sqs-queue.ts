/**
 * SqsQueue: the Queue port on SQS, with its dead-letter queue (a RedrivePolicy with maxReceiveCount,
 * set by the CDK app) and an optional ledger in the hub table for what SQS does not keep.
 *
 * - ids: every message carries its own id (`cairn-id` attribute), kept across dead-lettering and redrive.
 * - receipts: `[id, ReceiptHandle, dedupId]`, encoded; ack and retryLater with another message's id,
 *   or with a stale handle, do nothing (SQS ignores a DeleteMessage with a superseded handle; a stale
 *   ChangeMessageVisibility fails and is ignored here).
 * - ack = DeleteMessage; retryLater = ChangeMessageVisibility(delay), SQS keeping the receive count, so
 *   its redrive policy moves the message to the DLQ on the receive after maxReceiveCount.
 * - dedup: on a FIFO queue MessageDeduplicationId (5 minutes). On a standard queue (and beyond 5 minutes)
 *   the ledger: a conditional put of `QDEDUP#<queue>#<dedupId>` before SendMessage; a second send finds it
 *   and returns the first id. The item names the message and is removed by its ack (or TTL); one stuck in
 *   `sending` for over a minute (the sender died before SQS answered) is taken over, so a crash can cause
 *   a duplicate but never a lost message. Lambda event sources delete messages without an ack, so there
 *   the dedup item lives until its TTL: a redelivery is dropped for that long, which is what ingest wants.
 * - the ledger also keeps, per message, the last error, the receive count of its final attempt and when
 *   a retry is due (`QNOTE#<queue>` / `<id>`): listDead reports them, and depth() counts messages waiting
 *   for a retry as delayed (SQS counts them as in flight).
 * - listDead receives from the DLQ and holds what it returned for LIST_HOLD_SECONDS, so the next page
 *   (cursor) gets the following messages; redrive(ids) moves those messages itself, redrive() starts an
 *   SQS StartMessageMoveTask (asynchronous on AWS: the count is what the DLQ held when it started).
 */
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  StartMessageMoveTaskCommand,
  type Message,
  type MessageAttributeValue,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { systemClock, type Clock } from '../../core/clock.ts';
import { invalid } from '../../core/errors.ts';
import { randomId } from '../../core/ids.ts';
import type { Page, PageRequest } from '../../ports/repositories.ts';
import type { DeadLetter, Queue, QueueDepth, QueueMessage, SendOptions } from '../../ports/queue.ts';
import { type Doc, isConditionFailed, mapLimit, pageLimit } from './dynamodb/dynamo.ts';
import { awsCall, sdkErrorName, translateAwsError } from './errors.ts';

const ID_ATTR = 'cairn-id';
const DEDUP_ATTR = 'cairn-dedup';
const LIST_HOLD_SECONDS = 30;
const STALE_SENDING_MS = 60_000;
const STALE_RECEIPT = new Set([
  'ReceiptHandleIsInvalid',
  'MessageNotInflight',
  'InvalidParameterValue',
  'AWS.SimpleQueueService.MessageNotInflight',
]);

export interface SqsQueueOptions {
  client: SQSClient;
  /** The port's queue name (`events`, `notify`, …): names ledger items. */
  name: string;
  queueUrl: string;
  deadLetterQueueUrl?: string;
  /** The RedrivePolicy's maxReceiveCount (the receive that reaches it is the final attempt). */
  maxReceiveCount: number;
  /** Visibility timeout for receive() when none is given (default: the queue's own). */
  visibilityTimeoutSeconds?: number;
  /** DynamoDB ledger (the hub table) for dedup beyond FIFO, last errors and retry counts. */
  ledger?: { doc: Doc; table: string; retentionSeconds?: number };
  clock?: Clock;
}

type Receipt = [id: string, handle: string, dedupId: string | null];

const encodeReceipt = (r: Receipt) => Buffer.from(JSON.stringify(r), 'utf8').toString('base64url');

function decodeReceipt(receipt: string): Receipt | null {
  try {
    const v: unknown = JSON.parse(Buffer.from(receipt, 'base64url').toString('utf8'));
    if (Array.isArray(v) && v.length === 3 && typeof v[0] === 'string' && typeof v[1] === 'string') return v as Receipt;
  } catch {
    // not ours
  }
  return null;
}

const str = (value: string): MessageAttributeValue => ({ DataType: 'String', StringValue: value });

export class SqsQueue<T> implements Queue<T> {
  readonly name: string;
  private readonly clock: Clock;
  private readonly fifo: boolean;

  constructor(private readonly o: SqsQueueOptions) {
    this.name = o.name;
    this.clock = o.clock ?? systemClock;
    this.fifo = o.queueUrl.endsWith('.fifo');
  }

  async send(body: T, options: SendOptions = {}): Promise<{ id: string; duplicate: boolean }> {
    const id = `msg_${randomId()}`;
    const dedupId = options.dedupId;
    if (dedupId !== undefined && this.o.ledger) {
      const holder = await this.claimDedup(dedupId, id);
      if (holder !== id) return { id: holder, duplicate: true };
    }
    try {
      await this.o.client.send(
        new SendMessageCommand({
          QueueUrl: this.o.queueUrl,
          MessageBody: JSON.stringify(body),
          MessageAttributes: { [ID_ATTR]: str(id), ...(dedupId !== undefined ? { [DEDUP_ATTR]: str(dedupId) } : {}) },
          ...(this.fifo
            ? { MessageGroupId: dedupId ?? id, MessageDeduplicationId: dedupId ?? id }
            : options.delaySeconds
              ? { DelaySeconds: Math.min(900, Math.max(0, Math.round(options.delaySeconds))) }
              : {}),
        }),
      );
    } catch (err) {
      if (dedupId !== undefined) await this.releaseDedup(dedupId, id).catch(() => {});
      throw translateAwsError(err, 'SQS SendMessage');
    }
    if (dedupId !== undefined && this.o.ledger) await this.markSent(dedupId, id);
    return { id, duplicate: false };
  }

  async receive(max: number, options: { visibilityTimeoutSeconds?: number } = {}): Promise<QueueMessage<T>[]> {
    const out: QueueMessage<T>[] = [];
    const vt = options.visibilityTimeoutSeconds ?? this.o.visibilityTimeoutSeconds;
    while (out.length < max) {
      const batch = await this.receiveFrom(this.o.queueUrl, Math.min(10, max - out.length), vt);
      if (batch.length === 0) break;
      out.push(...batch.map((m) => this.toMessage(m)));
    }
    if (this.o.ledger) {
      const finals = out.filter((m) => m.receiveCount >= this.o.maxReceiveCount);
      await mapLimit(finals, 8, (m) =>
        this.note(m.id, 'SET receiveCount = :n, finalAt = :at', {
          ':n': m.receiveCount,
          ':at': this.clock.now().getTime(),
        }),
      );
    }
    return out;
  }

  /** The QueueMessage for an SQS message (also what Lambda SQS event records are turned into). */
  toMessage(m: Message): QueueMessage<T> {
    const id = m.MessageAttributes?.[ID_ATTR]?.StringValue ?? m.MessageId!;
    const dedupId = m.MessageAttributes?.[DEDUP_ATTR]?.StringValue ?? null;
    return {
      id,
      body: JSON.parse(m.Body ?? 'null') as T,
      receiveCount: Number(m.Attributes?.ApproximateReceiveCount ?? 1),
      receipt: encodeReceipt([id, m.ReceiptHandle!, dedupId]),
      sentAt: new Date(Number(m.Attributes?.SentTimestamp ?? this.clock.now().getTime())),
    };
  }

  async ack(message: QueueMessage<T>): Promise<void> {
    const r = this.receiptOf(message);
    if (!r) return;
    try {
      await this.o.client.send(new DeleteMessageCommand({ QueueUrl: this.o.queueUrl, ReceiptHandle: r[1] }));
    } catch (err) {
      if (STALE_RECEIPT.has(sdkErrorName(err) ?? '')) return;
      throw translateAwsError(err, 'SQS DeleteMessage');
    }
    if (this.o.ledger) {
      await Promise.all([
        r[2] !== null ? this.releaseDedup(r[2], r[0]) : Promise.resolve(),
        this.ledgerCall('DynamoDB DeleteItem (queue note)', (l) =>
          l.doc.send(new DeleteCommand({ TableName: l.table, Key: this.noteKey(r[0]) })),
        ),
      ]);
    }
  }

  async retryLater(message: QueueMessage<T>, delaySeconds: number, error?: string): Promise<void> {
    const r = this.receiptOf(message);
    if (!r) return;
    const seconds = Math.min(43_200, Math.max(0, Math.round(delaySeconds)));
    try {
      await this.o.client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.o.queueUrl,
          ReceiptHandle: r[1],
          VisibilityTimeout: seconds,
        }),
      );
    } catch (err) {
      if (STALE_RECEIPT.has(sdkErrorName(err) ?? '')) return;
      throw translateAwsError(err, 'SQS ChangeMessageVisibility');
    }
    if (this.o.ledger) {
      const values: Record<string, unknown> = {
        ':until': this.clock.now().getTime() + seconds * 1000,
        ':n': message.receiveCount,
      };
      if (error !== undefined) values[':error'] = error.slice(0, 2000);
      await this.note(
        r[0],
        `SET retryUntil = :until, receiveCount = :n${error !== undefined ? ', lastError = :error' : ''}`,
        values,
      );
    }
  }

  async depth(): Promise<QueueDepth> {
    const main = await this.attributes(this.o.queueUrl, [
      'ApproximateNumberOfMessages',
      'ApproximateNumberOfMessagesNotVisible',
      'ApproximateNumberOfMessagesDelayed',
    ]);
    const dead = this.o.deadLetterQueueUrl
      ? await this.attributes(this.o.deadLetterQueueUrl, [
          'ApproximateNumberOfMessages',
          'ApproximateNumberOfMessagesNotVisible',
        ])
      : {};
    const retrying = await this.countRetrying();
    const n = (a: Record<string, string>, k: string) => Number(a[k] ?? 0);
    return {
      visible: n(main, 'ApproximateNumberOfMessages'),
      inFlight: Math.max(0, n(main, 'ApproximateNumberOfMessagesNotVisible') - retrying),
      delayed: n(main, 'ApproximateNumberOfMessagesDelayed') + retrying,
      dead: n(dead, 'ApproximateNumberOfMessages') + n(dead, 'ApproximateNumberOfMessagesNotVisible'),
    };
  }

  async listDead(page: PageRequest): Promise<Page<DeadLetter<T>>> {
    const limit = pageLimit(page.limit, 10, 100);
    if (page.cursor !== undefined) decodeListCursor(page.cursor);
    const dlq = this.o.deadLetterQueueUrl;
    if (!dlq) return { items: [] };
    const got: Message[] = [];
    while (got.length < limit + 1) {
      const batch = await this.receiveFrom(dlq, Math.min(10, limit + 1 - got.length), LIST_HOLD_SECONDS);
      if (batch.length === 0) break;
      got.push(...batch);
    }
    const extra = got.slice(limit);
    await mapLimit(extra, 8, (m) => this.release(dlq, m));
    const items = await mapLimit(got.slice(0, limit), 8, (m) => this.toDeadLetter(m));
    return extra.length > 0 ? { items, cursor: encodeListCursor() } : { items };
  }

  async redrive(ids?: string[]): Promise<number> {
    const dlq = this.o.deadLetterQueueUrl;
    if (!dlq) return 0;
    if (ids === undefined) {
      const attrs = await this.attributes(dlq, ['ApproximateNumberOfMessages', 'QueueArn']);
      const count = Number(attrs.ApproximateNumberOfMessages ?? 0);
      if (count === 0) return 0;
      await awsCall('SQS StartMessageMoveTask', () =>
        this.o.client.send(new StartMessageMoveTaskCommand({ SourceArn: attrs.QueueArn })),
      );
      return count;
    }
    const wanted = new Set(ids);
    let moved = 0;
    for (let round = 0; round < 100 && wanted.size > 0; round++) {
      const batch = await this.receiveFrom(dlq, 10, LIST_HOLD_SECONDS);
      if (batch.length === 0) break;
      await mapLimit(batch, 8, async (m) => {
        const id = m.MessageAttributes?.[ID_ATTR]?.StringValue ?? m.MessageId!;
        if (!wanted.has(id)) return this.release(dlq, m);
        wanted.delete(id);
        await awsCall('SQS SendMessage (redrive)', () =>
          this.o.client.send(
            new SendMessageCommand({
              QueueUrl: this.o.queueUrl,
              MessageBody: m.Body!,
              MessageAttributes: m.MessageAttributes,
              ...(this.fifo
                ? { MessageGroupId: id, MessageDeduplicationId: `${id}:${this.clock.now().getTime()}` }
                : {}),
            }),
          ),
        );
        await awsCall('SQS DeleteMessage (redrive)', () =>
          this.o.client.send(new DeleteMessageCommand({ QueueUrl: dlq, ReceiptHandle: m.ReceiptHandle! })),
        );
        await this.ledgerCall('DynamoDB DeleteItem (queue note)', (l) =>
          l.doc.send(new DeleteCommand({ TableName: l.table, Key: this.noteKey(id) })),
        );
        moved++;
      });
    }
    return moved;
  }

  private receiptOf(message: QueueMessage<T>): Receipt | null {
    const r = decodeReceipt(message.receipt);
    return r && r[0] === message.id ? r : null;
  }

  private async receiveFrom(url: string, max: number, visibility: number | undefined): Promise<Message[]> {
    const out = await awsCall('SQS ReceiveMessage', () =>
      this.o.client.send(
        new ReceiveMessageCommand({
          QueueUrl: url,
          MaxNumberOfMessages: max,
          WaitTimeSeconds: 0,
          ...(visibility !== undefined ? { VisibilityTimeout: visibility } : {}),
          MessageSystemAttributeNames: ['ApproximateReceiveCount', 'SentTimestamp'],
          MessageAttributeNames: ['All'],
        }),
      ),
    );
    return out.Messages ?? [];
  }

  private async release(url: string, m: Message): Promise<void> {
    try {
      await this.o.client.send(
        new ChangeMessageVisibilityCommand({ QueueUrl: url, ReceiptHandle: m.ReceiptHandle!, VisibilityTimeout: 0 }),
      );
    } catch (err) {
      if (!STALE_RECEIPT.has(sdkErrorName(err) ?? '')) throw translateAwsError(err, 'SQS ChangeMessageVisibility');
    }
  }

  private async toDeadLetter(m: Message): Promise<DeadLetter<T>> {
    const message = this.toMessage(m);
    const note = await this.ledgerCall('DynamoDB GetItem (queue note)', (l) =>
      l.doc.send(new GetCommand({ TableName: l.table, Key: this.noteKey(message.id), ConsistentRead: true })),
    );
    const item = note?.Item as { receiveCount?: number; finalAt?: number; lastError?: string } | undefined;
    return {
      id: message.id,
      body: message.body,
      // Peeking at the DLQ counts as a receive there; the ledger knows the count it died with.
      receiveCount: item?.receiveCount ?? Math.max(1, message.receiveCount - 1),
      sentAt: message.sentAt,
      deadAt: new Date(item?.finalAt ?? message.sentAt.getTime()),
      lastError: item?.lastError ?? null,
    };
  }

  private async attributes(url: string, names: string[]): Promise<Record<string, string>> {
    const out = await awsCall('SQS GetQueueAttributes', () =>
      this.o.client.send(
        new GetQueueAttributesCommand({
          QueueUrl: url,
          AttributeNames: names as GetQueueAttributesCommand['input']['AttributeNames'],
        }),
      ),
    );
    return out.Attributes ?? {};
  }

  private noteKey(id: string) {
    return { pk: `QNOTE#${this.name}`, sk: id };
  }

  private ttl(): number {
    return Math.floor(this.clock.now().getTime() / 1000) + (this.o.ledger?.retentionSeconds ?? 14 * 86400);
  }

  private async note(id: string, update: string, values: Record<string, unknown>): Promise<void> {
    await this.ledgerCall('DynamoDB UpdateItem (queue note)', (l) =>
      l.doc.send(
        new UpdateCommand({
          TableName: l.table,
          Key: this.noteKey(id),
          UpdateExpression: `${update}, #ttl = :ttl`,
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ...values, ':ttl': this.ttl() },
        }),
      ),
    );
  }

  private async countRetrying(): Promise<number> {
    if (!this.o.ledger) return 0;
    let count = 0;
    let start: Record<string, unknown> | undefined;
    do {
      const out = await this.ledgerCall('DynamoDB Query (queue notes)', (l) =>
        l.doc.send(
          new QueryCommand({
            TableName: l.table,
            KeyConditionExpression: 'pk = :p',
            FilterExpression: 'retryUntil > :now',
            ExpressionAttributeValues: { ':p': `QNOTE#${this.name}`, ':now': this.clock.now().getTime() },
            Select: 'COUNT',
            ExclusiveStartKey: start,
          }),
        ),
      );
      count += out?.Count ?? 0;
      start = out?.LastEvaluatedKey;
    } while (start);
    return count;
  }

  private dedupKey(dedupId: string) {
    return { pk: `QDEDUP#${this.name}#${dedupId}`, sk: 'DEDUP' };
  }

  /** Returns the id of the message that holds `dedupId`: `id` when this send may go ahead. */
  private async claimDedup(dedupId: string, id: string): Promise<string> {
    const l = this.o.ledger!;
    const now = this.clock.now().getTime();
    try {
      await l.doc.send(
        new PutCommand({
          TableName: l.table,
          Item: { ...this.dedupKey(dedupId), messageId: id, state: 'sending', at: now, ttl: this.ttl() },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
      return id;
    } catch (err) {
      if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB PutItem (queue dedup)');
    }
    const held = await awsCall('DynamoDB GetItem (queue dedup)', () =>
      l.doc.send(new GetCommand({ TableName: l.table, Key: this.dedupKey(dedupId), ConsistentRead: true })),
    );
    const item = held.Item as { messageId: string; state: string; at: number } | undefined;
    if (!item) return this.claimDedup(dedupId, id); // released meanwhile
    if (item.state !== 'sending' || now - item.at < STALE_SENDING_MS) return item.messageId;
    try {
      await l.doc.send(
        new UpdateCommand({
          TableName: l.table,
          Key: this.dedupKey(dedupId),
          UpdateExpression: 'SET messageId = :id, #at = :now',
          ConditionExpression: 'messageId = :old AND #state = :sending',
          ExpressionAttributeNames: { '#at': 'at', '#state': 'state' },
          ExpressionAttributeValues: { ':id': id, ':now': now, ':old': item.messageId, ':sending': 'sending' },
        }),
      );
      return id;
    } catch (err) {
      if (!isConditionFailed(err)) throw translateAwsError(err, 'DynamoDB UpdateItem (queue dedup)');
      return this.claimDedup(dedupId, id);
    }
  }

  private async markSent(dedupId: string, id: string): Promise<void> {
    await this.ledgerCall('DynamoDB UpdateItem (queue dedup)', (l) =>
      l.doc.send(
        new UpdateCommand({
          TableName: l.table,
          Key: this.dedupKey(dedupId),
          UpdateExpression: 'SET #state = :sent',
          ConditionExpression: 'messageId = :id',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':sent': 'sent', ':id': id },
        }),
      ),
    ).catch((err: unknown) => {
      if (!isConditionFailed((err as { cause?: unknown }).cause)) throw err;
    });
  }

  private async releaseDedup(dedupId: string, id: string): Promise<void> {
    await this.ledgerCall('DynamoDB DeleteItem (queue dedup)', (l) =>
      l.doc.send(
        new DeleteCommand({
          TableName: l.table,
          Key: this.dedupKey(dedupId),
          ConditionExpression: 'messageId = :id',
          ExpressionAttributeValues: { ':id': id },
        }),
      ),
    ).catch((err: unknown) => {
      if (!isConditionFailed((err as { cause?: unknown }).cause)) throw err;
    });
  }

  private async ledgerCall<R>(
    what: string,
    call: (l: NonNullable<SqsQueueOptions['ledger']>) => Promise<R>,
  ): Promise<R | undefined> {
    const l = this.o.ledger;
    return l ? awsCall(what, () => call(l)) : undefined;
  }
}

const encodeListCursor = () => Buffer.from(JSON.stringify({ dlq: 1 }), 'utf8').toString('base64url');

function decodeListCursor(cursor: string): void {
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { dlq?: unknown };
    if (v.dlq === 1) return;
  } catch {
    // fall through
  }
  throw invalid('CAIRN_INVALID_CURSOR', 'The cursor is not one this queue issued.');
}
