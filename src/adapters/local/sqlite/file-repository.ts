import type { FileStatus, StoredFile } from '../../../core/sharing/model.ts';
import type { FileRepository } from '../../../ports/repositories.ts';
import type { Db } from './db.ts';

interface FileRow {
  id: string;
  owner: string;
  name: string;
  size: number;
  content_type: string;
  sha256: string | null;
  status: FileStatus;
  object_key: string;
  created_at: number;
  upload_expires_at: number;
}

const toFile = (r: FileRow): StoredFile => ({
  id: r.id,
  owner: r.owner,
  name: r.name,
  size: r.size,
  contentType: r.content_type,
  sha256: r.sha256,
  status: r.status,
  objectKey: r.object_key,
  createdAt: new Date(r.created_at),
  uploadExpiresAt: new Date(r.upload_expires_at),
});

export class SqliteFileRepository implements FileRepository {
  private readonly q;
  constructor(db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO files (id, owner, name, size, content_type, sha256, status, object_key, created_at, upload_expires_at)
         VALUES (@id, @owner, @name, @size, @content_type, @sha256, @status, @object_key, @created_at, @upload_expires_at)`,
      ),
      get: db.prepare('SELECT * FROM files WHERE id = ?'),
      ready: db.prepare(
        `UPDATE files SET status = 'ready', size = ?, sha256 = ?, content_type = ? WHERE id = ? AND status = 'pending'`,
      ),
      deleted: db.prepare(`UPDATE files SET status = 'deleted' WHERE id = ?`),
      stale: db.prepare(`SELECT * FROM files WHERE status = 'pending' AND upload_expires_at < ? LIMIT ?`),
      unshared: db.prepare(
        `SELECT f.* FROM files f WHERE f.status = 'ready'
           AND (f.created_at < ? OR EXISTS (SELECT 1 FROM share_files sf WHERE sf.file_id = f.id))
           AND NOT EXISTS (SELECT 1 FROM share_files sf JOIN shares s ON s.id = sf.share_id
                           WHERE sf.file_id = f.id AND s.status = 'active')
         LIMIT ?`,
      ),
    };
  }

  async insert(f: StoredFile) {
    this.q.insert.run({
      id: f.id,
      owner: f.owner,
      name: f.name,
      size: f.size,
      content_type: f.contentType,
      sha256: f.sha256,
      status: f.status,
      object_key: f.objectKey,
      created_at: f.createdAt.getTime(),
      upload_expires_at: f.uploadExpiresAt.getTime(),
    });
  }

  async get(id: string) {
    const row = this.q.get.get(id) as FileRow | undefined;
    return row ? toFile(row) : null;
  }

  async markReady(id: string, f: { size: number; sha256: string; contentType: string }) {
    this.q.ready.run(f.size, f.sha256, f.contentType, id);
  }

  async markDeleted(id: string) {
    this.q.deleted.run(id);
  }

  async listStalePending(now: Date, limit: number) {
    return (this.q.stale.all(now.getTime(), limit) as FileRow[]).map(toFile);
  }

  async listUnshared(olderThan: Date, limit: number) {
    return (this.q.unshared.all(olderThan.getTime(), limit) as FileRow[]).map(toFile);
  }
}
