import type { PageRequest, UserRecord, UserRepository } from '../../../ports/repositories.ts';
import { decodeCursor, encodeCursor, pageLimit } from './cursor.ts';
import type { Db } from './db.ts';

interface UserRow {
  username: string;
  display_name: string;
  password_hash: string;
  admin: number;
  created_at: number;
  session_version: string;
}

const toUser = (r: UserRow): UserRecord => ({
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  admin: r.admin === 1,
  createdAt: new Date(r.created_at),
  sessionVersion: r.session_version,
});

/** LIKE patterns need their wildcards escaped so a prefix search stays a prefix search. */
const likePrefix = (s: string) => s.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c) + '%';

export class SqliteUserRepository implements UserRepository {
  private readonly q;
  constructor(db: Db) {
    this.q = {
      insert: db.prepare(
        `INSERT INTO users (username, username_lower, display_name, display_lower, password_hash, admin, created_at, session_version)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      get: db.prepare('SELECT * FROM users WHERE username_lower = ?'),
      list: db.prepare('SELECT * FROM users WHERE (@c IS NULL OR username > @c) ORDER BY username LIMIT @limit'),
      prefix: db.prepare(
        `SELECT * FROM users WHERE username_lower LIKE @p ESCAPE '\\' OR display_lower LIKE @p ESCAPE '\\'
         ORDER BY username LIMIT @limit`,
      ),
      setPassword: db.prepare('UPDATE users SET password_hash = ?, session_version = ? WHERE username = ?'),
      remove: db.prepare('DELETE FROM users WHERE username_lower = ?'),
      count: db.prepare('SELECT COUNT(*) FROM users').pluck(),
    };
  }

  async insert(u: UserRecord) {
    this.q.insert.run(
      u.username,
      u.username.toLowerCase(),
      u.displayName,
      u.displayName.toLowerCase(),
      u.passwordHash,
      u.admin ? 1 : 0,
      u.createdAt.getTime(),
      u.sessionVersion,
    );
  }

  async get(username: string) {
    const row = this.q.get.get(username.toLowerCase()) as UserRow | undefined;
    return row ? toUser(row) : null;
  }

  async list(page: PageRequest) {
    const limit = pageLimit(page.limit);
    const after = decodeCursor(page.cursor);
    const rows = this.q.list.all({ c: after?.[0] ?? null, limit: limit + 1 }) as UserRow[];
    const last = rows.length > limit ? rows[limit - 1] : undefined;
    const items = rows.slice(0, limit).map(toUser);
    return last ? { items, cursor: encodeCursor([last.username]) } : { items };
  }

  async findByPrefix(prefix: string, limit: number) {
    return (this.q.prefix.all({ p: likePrefix(prefix), limit }) as UserRow[]).map(toUser);
  }

  async setPassword(username: string, hash: string, sessionVersion: string) {
    this.q.setPassword.run(hash, sessionVersion, username);
  }

  async remove(username: string) {
    return this.q.remove.run(username.toLowerCase()).changes === 1;
  }

  async count() {
    return this.q.count.get() as number;
  }
}
