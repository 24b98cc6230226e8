/**
 * `COPY … TO STDOUT` through node-postgres's submittable interface (the one pg-cursor and
 * pg-copy-streams use): the server streams rows, we hand them on in batches of whole lines, and the
 * socket is paused while the consumer is behind, so memory stays flat whatever the result's size.
 *
 * Each CopyData message is one line; its bytes are a view of the driver's receive buffer, which the
 * driver reuses, so they are copied at once into the current batch (a fresh buffer per batch).
 */
import type pg from 'pg';

interface Connection {
  query(text: string): void;
  stream: { pause(): void; resume(): void };
}

const BATCH_BYTES = 256 * 1024;

export class CopyOut implements pg.Submittable {
  /** Set by pg when the client has a query_timeout: it must hear of the end. */
  callback?: (err: Error | null, res?: unknown) => void;
  private connection: Connection | undefined;
  private batch = Buffer.allocUnsafe(BATCH_BYTES);
  private used = 0;
  private readonly ready: Buffer[] = [];
  private done = false;
  private failure: Error | undefined;
  private wake: (() => void) | undefined;
  private paused = false;

  constructor(private readonly text: string) {}

  submit(connection: Connection): void {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCopyData(msg: { chunk: Buffer }): void {
    const c = msg.chunk;
    if (this.used + c.length > this.batch.length) this.flush(c.length);
    c.copy(this.batch, this.used);
    this.used += c.length;
  }

  handleCommandComplete(): void {
    this.flush(0);
  }

  handleReadyForQuery(): void {
    this.done = true;
    this.callback?.(null);
    this.notify();
  }

  handleError(err: Error): void {
    this.failure ??= err;
    this.done = true;
    this.resume();
    this.callback?.(err);
    this.notify();
  }

  handleRowDescription(): void {}
  handleDataRow(): void {}
  handleEmptyQuery(): void {}
  handlePortalSuspended(): void {}
  handleCopyInResponse(): void {
    this.handleError(new Error('COPY FROM is not supported here'));
  }

  /** Batches of whole lines, until the server says the COPY is complete; its error is thrown. */
  async *batches(): AsyncGenerator<Buffer> {
    try {
      for (;;) {
        const next = this.ready.shift();
        if (next) {
          if (this.ready.length < 2) this.resume();
          yield next;
          continue;
        }
        if (this.failure) throw this.failure;
        if (this.done) return;
        await new Promise<void>((ok) => (this.wake = ok));
      }
    } finally {
      this.resume();
    }
  }

  private flush(next: number): void {
    if (this.used > 0) {
      this.ready.push(this.batch.subarray(0, this.used));
      this.batch = Buffer.allocUnsafe(Math.max(BATCH_BYTES, next));
      this.used = 0;
    } else if (next > this.batch.length) {
      this.batch = Buffer.allocUnsafe(next);
    }
    if (this.ready.length >= 4 && !this.paused && this.connection) {
      this.paused = true;
      this.connection.stream.pause();
    }
    this.notify();
  }

  private resume(): void {
    if (this.paused && this.connection) {
      this.paused = false;
      this.connection.stream.resume();
    }
  }

  private notify(): void {
    const w = this.wake;
    this.wake = undefined;
    w?.();
  }
}
