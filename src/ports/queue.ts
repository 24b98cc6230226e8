/**
 * Queue: a durable queue with SQS semantics. Local: a table in SQLite with group commit. AWS: SQS.
 * At-least-once: a received message comes back after its visibility timeout unless acked; once it has
 * been received `maxReceiveCount` times it moves to the queue's dead-letter queue instead.
 */
import type { Page, PageRequest } from './repositories.ts';

export interface QueueMessage<T> {
  id: string;
  body: T;
  /** How many times this message has been received, this time included (SQS ApproximateReceiveCount). */
  receiveCount: number;
  /** Identifies this receipt; ack/retry with a stale receipt does nothing (SQS ReceiptHandle). */
  receipt: string;
  sentAt: Date;
}

export interface DeadLetter<T> {
  id: string;
  body: T;
  receiveCount: number;
  sentAt: Date;
  deadAt: Date;
  /** The last error recorded by a consumer, if any. */
  lastError: string | null;
}

export interface QueueDepth {
  /** Ready to be received now. */
  visible: number;
  /** Received and not yet acked (in flight). */
  inFlight: number;
  /** Waiting for a delay or backoff to pass. */
  delayed: number;
  dead: number;
}

export interface SendOptions {
  delaySeconds?: number;
  /**
   * Deduplication id: a second send with the same id (per queue) is dropped and returns the first
   * message's id (SQS FIFO MessageDeduplicationId, but kept as long as the message exists).
   */
  dedupId?: string;
}

export interface Queue<T> {
  readonly name: string;
  /** Resolves once the message is durable (fsync'd locally; acknowledged by SQS on AWS). */
  send(body: T, options?: SendOptions): Promise<{ id: string; duplicate: boolean }>;
  receive(max: number, options?: { visibilityTimeoutSeconds?: number }): Promise<QueueMessage<T>[]>;
  ack(message: QueueMessage<T>): Promise<void>;
  /** Makes the message visible again after `delaySeconds` (SQS ChangeMessageVisibility), noting why. */
  retryLater(message: QueueMessage<T>, delaySeconds: number, error?: string): Promise<void>;
  depth(): Promise<QueueDepth>;
  listDead(page: PageRequest): Promise<Page<DeadLetter<T>>>;
  /** Moves dead letters back to the queue (all, or the given ids) with a fresh receive count. */
  redrive(ids?: string[]): Promise<number>;
}
