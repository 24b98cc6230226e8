import type { DownloadRecord } from '../../../core/sharing/model.ts';
import type { AuditRepository, PageRequest } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import type { Db } from './db.ts';

interface DownloadRow {
  id: string;
  share_id: string;
  file_id: string | null;
  file_name: string;
  actor: string;
  ip: string;
  user_agent: string;
  at: number;
}

export class SqliteAuditRepository implements AuditRepository {
  private readonly q;
  constructor(db: Db) {
    this.q = {
      insert: db.prepare(
        'INSERT INTO downloads (id, share_id, file_id, file_name, actor, ip, user_agent, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      list: db.prepare(
        `SELECT * FROM downloads WHERE share_id = @share AND (@c IS NULL OR at < @c OR (at = @c AND id < @id))
         ORDER BY at DESC, id DESC LIMIT @limit`,
      ),
    };
  }

  async recordDownload(r: DownloadRecord) {
    this.q.insert.run(r.id, r.shareId, r.fileId, r.fileName, r.actor, r.ip, r.userAgent, r.at.getTime());
  }

  async listDownloads(shareId: string, page: PageRequest) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = this.q.list.all({
      share: shareId,
      c: after?.[0] ?? null,
      id: after?.[1] ?? null,
      limit: limit + 1,
    }) as DownloadRow[];
    const items: DownloadRecord[] = rows.slice(0, limit).map((r) => ({
      id: r.id,
      shareId: r.share_id,
      fileId: r.file_id,
      fileName: r.file_name,
      actor: r.actor,
      ip: r.ip,
      userAgent: r.user_agent,
      at: new Date(r.at),
    }));
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    return last ? { items, cursor: encodeCursor([last.at, last.id]) } : { items };
  }
}
