import type { HandleOutcome } from '../../core/alerts/workers/outcome.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Queue, QueueMessage } from '../../ports/queue.ts';

export interface QueueWorkerOptions {
  /** Messages claimed per receive. */
  batchSize?: number;
  /** How many messages are handled at once. */
  concurrency?: number;
  /** Sleep between polls when the queue is empty (a send() wakes the worker sooner via wake()). */
  idleMs?: number;
  visibilityTimeoutSeconds?: number;
}

/**
 * Runs a handler over a queue in this process: receive a batch, handle with bounded concurrency, ack or
 * retryLater as the handler says. The same handlers run as Lambda functions on AWS (SQS event source).
 */
export class QueueWorker<T> {
  private running = false;
  private loop: Promise<void> | null = null;
  private wakeUp: (() => void) | null = null;

  constructor(
    private readonly queue: Queue<T>,
    private readonly handler: (message: QueueMessage<T>) => Promise<HandleOutcome>,
    private readonly logger: Logger,
    private readonly options: QueueWorkerOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Tells an idle worker that a message may be waiting. */
  wake(): void {
    this.wakeUp?.();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run() {
    const { batchSize = 32, concurrency = 8, idleMs = 200, visibilityTimeoutSeconds } = this.options;
    // Messages being handled. A slow one holds only its own lane: the loop receives more as soon as
    // half the lanes are free, instead of waiting for the whole batch it came with.
    const busy = new Set<Promise<void>>();
    while (this.running) {
      if (busy.size > concurrency / 2) {
        await Promise.race(busy);
        continue;
      }
      let batch: QueueMessage<T>[] = [];
      try {
        const max = Math.min(batchSize, concurrency - busy.size);
        batch = await this.queue.receive(max, visibilityTimeoutSeconds ? { visibilityTimeoutSeconds } : {});
      } catch (err) {
        this.logger.error({ queue: this.queue.name, err: String(err) }, 'receive failed');
      }
      if (batch.length === 0) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, idleMs);
          this.wakeUp = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wakeUp = null;
        continue;
      }
      for (const m of batch) {
        const done: Promise<void> = this.process(m).finally(() => busy.delete(done));
        busy.add(done);
      }
    }
    await Promise.all(busy);
  }

  private async process(message: QueueMessage<T>) {
    let outcome: HandleOutcome;
    try {
      outcome = await this.handler(message);
    } catch (err) {
      outcome = { retryAfterSeconds: 5, error: err instanceof Error ? err.message : String(err) };
    }
    try {
      if (outcome === 'ack') await this.queue.ack(message);
      else await this.queue.retryLater(message, outcome.retryAfterSeconds, outcome.error);
    } catch (err) {
      this.logger.error(
        { queue: this.queue.name, id: message.id, err: String(err) },
        'ack/retry failed; the message will come back',
      );
    }
  }
}
