/**
 * Repositories: the records each capability keeps. Local: SQLite (better-sqlite3, WAL, fsync'd commits).
 * AWS: DynamoDB. Every list is paginated with an opaque cursor.
 */
import type { DownloadRecord, Share, StoredFile } from '../core/sharing/model.ts';

export interface Page<T> {
  items: T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  cursor?: string;
}

export interface PageRequest {
  cursor?: string;
  limit?: number;
}

export interface FileRepository {
  insert(file: StoredFile): Promise<void>;
  get(id: string): Promise<StoredFile | null>;
  markReady(id: string, fields: { size: number; sha256: string; contentType: string }): Promise<void>;
  /** The bytes are gone; the row stays so share history still names the file. */
  markDeleted(id: string): Promise<void>;
  /** Pending uploads whose upload window closed before `now`. */
  listStalePending(now: Date, limit: number): Promise<StoredFile[]>;
  /**
   * Ready files no active share references: those that were shared (their shares ended), and those never
   * shared that were uploaded before `olderThan` (a grace period to create the share).
   */
  listUnshared(olderThan: Date, limit: number): Promise<StoredFile[]>;
}

export interface ShareRepository {
  insert(share: Share): Promise<void>;
  get(id: string): Promise<Share | null>;
  listByOwner(owner: string, page: PageRequest): Promise<Page<Share>>;
  listReceived(username: string, now: Date, page: PageRequest): Promise<Page<Share>>;
  /**
   * Atomically counts one download if the share is active, unexpired at `now` and under its limit.
   * Returns the share after the increment, or null when the download must be refused.
   */
  claimDownload(id: string, now: Date): Promise<Share | null>;
  revoke(id: string, at: Date): Promise<boolean>;
  /** Revokes every active share of `owner`; returns their ids. */
  revokeAllByOwner(owner: string, at: Date): Promise<string[]>;
  /** Active shares whose expiry is before `now`; they are marked expired and returned. */
  expireDue(now: Date, limit: number): Promise<Share[]>;
}

export interface AuditRepository {
  recordDownload(record: DownloadRecord): Promise<void>;
  listDownloads(shareId: string, page: PageRequest): Promise<Page<DownloadRecord>>;
}

export interface UserRecord {
  username: string;
  displayName: string;
  passwordHash: string;
  admin: boolean;
  createdAt: Date;
  /** Changes when the account is created or its password changes; sessions of other versions end. */
  sessionVersion: string;
}

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  get(username: string): Promise<UserRecord | null>;
  list(page: PageRequest): Promise<Page<UserRecord>>;
  findByPrefix(prefix: string, limit: number): Promise<UserRecord[]>;
  setPassword(username: string, passwordHash: string, sessionVersion: string): Promise<void>;
  remove(username: string): Promise<boolean>;
  count(): Promise<number>;
}
