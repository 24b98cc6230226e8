import { type FileHandle, open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import type { Db } from './db.ts';

/**
 * A second connection to the main database for high-rate state (the hub's history, deliveries and
 * groups), with group commit. It runs WAL with synchronous=NORMAL: a commit writes its WAL frames
 * without an fsync, which already survives `kill -9` (the kernel holds the pages), and `sync()` makes
 * every commit so far survive power loss too, with one fsync of the WAL file on libuv's thread pool,
 * shared by every caller waiting at that moment. Callers sync before they acknowledge what they
 * wrote (the hub: before a queue ack, retry or send), so nothing is acknowledged before it is on disk,
 * and the event loop never blocks on an fsync per event.
 *
 * An in-memory database has no file to share: the main connection is used, and sync does nothing.
 */
export interface GroupCommitConnection {
  readonly db: Db;
  sync(): Promise<void>;
  close(): void;
}

export function openGroupCommitConnection(main: Db): GroupCommitConnection {
  if (main.memory) return { db: main, sync: async () => {}, close: () => {} };
  const db = new Database(main.name);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  const barrier = new FsyncBarrier(`${main.name}-wal`);
  return {
    db,
    sync: () => barrier.sync(),
    close: () => {
      db.close();
      void barrier.close();
    },
  };
}

/**
 * Coalesces fsyncs of one file: a caller is answered by an fsync that started after it called, so
 * whatever it wrote before calling is covered; callers arriving during an fsync share the next one.
 * The file is opened once and kept: SQLite keeps the WAL file (same inode) while a connection is open.
 */
export class FsyncBarrier {
  private running: Promise<void> | null = null;
  private next: Promise<void> | null = null;
  private handle: Promise<FileHandle> | null = null;

  constructor(private readonly file: string) {}

  sync(): Promise<void> {
    if (!this.running) return this.start();
    this.next ??= this.running
      .catch(() => {})
      .then(() => {
        this.next = null;
        return this.start();
      });
    return this.next;
  }

  private start(): Promise<void> {
    const run = this.fsyncFile().finally(() => {
      if (this.running === run) this.running = null;
    });
    this.running = run;
    return run;
  }

  protected async fsyncFile(): Promise<void> {
    this.handle ??= open(this.file, 'r');
    try {
      await (await this.handle).sync();
    } catch (err) {
      await this.close(); // opened again on the next call (the file may not have existed yet)
      throw err;
    }
  }

  async close(): Promise<void> {
    const handle = this.handle;
    this.handle = null;
    await (await handle?.catch(() => null))?.close();
  }
}
