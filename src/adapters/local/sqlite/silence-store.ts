import type { SilenceRecord, SilenceStore } from '../../../ports/alerts-topic.ts';
import type { Page, PageRequest } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import type { Db } from './db.ts';

interface SilenceRow {
  id: string;
  match: string;
  starts_at: number;
  ends_at: number;
  comment: string | null;
  created_by: string | null;
  created_at: number;
}

const toSilence = (r: SilenceRow): SilenceRecord => ({
  id: r.id,
  match: JSON.parse(r.match) as Record<string, unknown>,
  startsAt: new Date(r.starts_at).toISOString(),
  endsAt: new Date(r.ends_at).toISOString(),
  comment: r.comment,
  createdBy: r.created_by,
  createdAt: new Date(r.created_at).toISOString(),
});

export class SqliteSilenceStore implements SilenceStore {
  private readonly q;
  constructor(private readonly db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO hub_silences (id, match, starts_at, ends_at, comment, created_by, created_at)
         VALUES (@id, @match, @starts_at, @ends_at, @comment, @created_by, @created_at)`,
      ),
      get: db.prepare('SELECT * FROM hub_silences WHERE id = ?'),
      expire: db.prepare('UPDATE hub_silences SET ends_at = @at WHERE id = @id AND ends_at > @at'),
      current: db.prepare('SELECT * FROM hub_silences WHERE ends_at > ? ORDER BY starts_at'),
      page: db.prepare(
        `SELECT * FROM hub_silences WHERE (@c IS NULL OR created_at < @c OR (created_at = @c AND id < @id))
         ORDER BY created_at DESC, id DESC LIMIT @limit`,
      ),
    };
  }

  async create(s: SilenceRecord): Promise<void> {
    this.q.insert.run({
      id: s.id,
      match: JSON.stringify(s.match),
      starts_at: Date.parse(s.startsAt),
      ends_at: Date.parse(s.endsAt),
      comment: s.comment,
      created_by: s.createdBy,
      created_at: Date.parse(s.createdAt),
    });
  }

  async get(id: string): Promise<SilenceRecord | null> {
    const row = this.q.get.get(id) as SilenceRow | undefined;
    return row ? toSilence(row) : null;
  }

  async expire(id: string, at: Date): Promise<SilenceRecord | null> {
    return this.db.transaction(() => {
      this.q.expire.run({ id, at: at.getTime() });
      const row = this.q.get.get(id) as SilenceRow | undefined;
      return row ? toSilence(row) : null;
    })();
  }

  async current(now: Date): Promise<SilenceRecord[]> {
    return (this.q.current.all(now.getTime()) as SilenceRow[]).map(toSilence);
  }

  async list(page: PageRequest): Promise<Page<SilenceRecord>> {
    const limit = pageLimit(page.limit);
    const [c, id] = decodeCursor(page.cursor) ?? [null, null];
    const rows = this.q.page.all({ c, id, limit: limit + 1 }) as SilenceRow[];
    const items = rows.slice(0, limit).map(toSilence);
    const last = rows[limit - 1];
    return rows.length > limit && last ? { items, cursor: encodeCursor([last.created_at, last.id]) } : { items };
  }
}
