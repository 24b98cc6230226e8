import type { Share, ShareKind, ShareStatus } from '../../../core/sharing/model.ts';
import type { Page, PageRequest, ShareRepository } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import type { Db } from './db.ts';

interface ShareRow {
  id: string;
  owner: string;
  kind: ShareKind;
  created_at: number;
  expires_at: number;
  max_downloads: number | null;
  download_count: number;
  password_hash: string | null;
  status: ShareStatus;
  revoked_at: number | null;
}

export class SqliteShareRepository implements ShareRepository {
  private readonly q;
  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO shares (id, owner, kind, created_at, expires_at, max_downloads, download_count, password_hash, status, revoked_at)
         VALUES (@id, @owner, @kind, @created_at, @expires_at, @max_downloads, @download_count, @password_hash, @status, @revoked_at)`,
      ),
      insertFile: db.prepare('INSERT INTO share_files (share_id, file_id, position) VALUES (?, ?, ?)'),
      insertRecipient: db.prepare('INSERT INTO share_recipients (share_id, username) VALUES (?, ?)'),
      get: db.prepare('SELECT * FROM shares WHERE id = ?'),
      files: db.prepare('SELECT file_id FROM share_files WHERE share_id = ? ORDER BY position').pluck(),
      recipients: db.prepare('SELECT username FROM share_recipients WHERE share_id = ? ORDER BY username').pluck(),
      byOwner: db.prepare(
        `SELECT * FROM shares WHERE owner = @owner AND (@c IS NULL OR created_at < @c OR (created_at = @c AND id < @id))
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      ),
      received: db.prepare(
        `SELECT s.* FROM shares s JOIN share_recipients r ON r.share_id = s.id
         WHERE r.username = @user AND s.status = 'active' AND s.expires_at > @now
           AND (@c IS NULL OR s.created_at < @c OR (s.created_at = @c AND s.id < @id))
         ORDER BY s.created_at DESC, s.id DESC LIMIT @limit`,
      ),
      claim: db.prepare(
        `UPDATE shares SET download_count = download_count + 1
         WHERE id = ? AND status = 'active' AND expires_at > ? AND (max_downloads IS NULL OR download_count < max_downloads)`,
      ),
      revoke: db.prepare(`UPDATE shares SET status = 'revoked', revoked_at = ? WHERE id = ? AND status = 'active'`),
      activeOf: db.prepare(`SELECT id FROM shares WHERE owner = ? AND status = 'active'`).pluck(),
      due: db.prepare(`SELECT * FROM shares WHERE status = 'active' AND expires_at <= ? LIMIT ?`),
      expire: db.prepare(`UPDATE shares SET status = 'expired' WHERE id = ? AND status = 'active'`),
    };
  }

  async insert(s: Share) {
    this.db.transaction(() => {
      this.q.insert.run({
        id: s.id,
        owner: s.owner,
        kind: s.kind,
        created_at: s.createdAt.getTime(),
        expires_at: s.expiresAt.getTime(),
        max_downloads: s.maxDownloads,
        download_count: s.downloadCount,
        password_hash: s.passwordHash,
        status: s.status,
        revoked_at: s.revokedAt?.getTime() ?? null,
      });
      s.fileIds.forEach((f, i) => this.q.insertFile.run(s.id, f, i));
      for (const r of s.recipients) this.q.insertRecipient.run(s.id, r);
    })();
  }

  async get(id: string) {
    const row = this.q.get.get(id) as ShareRow | undefined;
    return row ? this.toShare(row) : null;
  }

  async listByOwner(owner: string, page: PageRequest) {
    return this.page(this.q.byOwner, { owner }, page);
  }

  async listReceived(user: string, now: Date, page: PageRequest) {
    return this.page(this.q.received, { user, now: now.getTime() }, page);
  }

  async claimDownload(id: string, now: Date) {
    const { changes } = this.q.claim.run(id, now.getTime());
    return changes === 1 ? this.get(id) : null;
  }

  async revoke(id: string, at: Date) {
    return this.q.revoke.run(at.getTime(), id).changes === 1;
  }

  async revokeAllByOwner(owner: string, at: Date) {
    return this.db.transaction(() => {
      const ids = this.q.activeOf.all(owner) as string[];
      for (const id of ids) this.q.revoke.run(at.getTime(), id);
      return ids;
    })();
  }

  async expireDue(now: Date, limit: number) {
    return this.db.transaction(() => {
      const rows = this.q.due.all(now.getTime(), limit) as ShareRow[];
      for (const r of rows) this.q.expire.run(r.id);
      return rows.map((r) => this.toShare({ ...r, status: 'expired' }));
    })();
  }

  private page(stmt: { all(p: object): unknown[] }, params: object, page: PageRequest): Page<Share> {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = stmt.all({ ...params, c: after?.[0] ?? null, id: after?.[1] ?? null, limit: limit + 1 }) as ShareRow[];
    const items = rows.slice(0, limit).map((r) => this.toShare(r));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, cursor: encodeCursor([last.created_at, last.id]) } : { items };
  }

  private toShare(r: ShareRow): Share {
    return {
      id: r.id,
      owner: r.owner,
      kind: r.kind,
      fileIds: this.q.files.all(r.id) as string[],
      recipients: this.q.recipients.all(r.id) as string[],
      createdAt: new Date(r.created_at),
      expiresAt: new Date(r.expires_at),
      maxDownloads: r.max_downloads,
      downloadCount: r.download_count,
      passwordHash: r.password_hash,
      status: r.status,
      revokedAt: r.revoked_at === null ? null : new Date(r.revoked_at),
    };
  }
}
