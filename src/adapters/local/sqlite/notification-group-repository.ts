import type { GroupMember, NotificationGroup, NotificationGroupRepository } from '../../../ports/alerts-topic.ts';
import type { Db } from './db.ts';

interface GroupRow {
  id: string;
  route_key: string;
  channel: string;
  group_key: string;
  created_at: number;
  last_sent_at: number | null;
  next_flush_at: number | null;
  sent: number;
  added: number;
  members: string;
  version: number;
}

const date = (ms: number | null) => (ms === null ? null : new Date(ms));

const toGroup = (r: GroupRow): NotificationGroup => ({
  id: r.id,
  routeKey: r.route_key,
  channel: r.channel,
  groupKey: r.group_key,
  createdAt: new Date(r.created_at),
  lastSentAt: date(r.last_sent_at),
  nextFlushAt: date(r.next_flush_at),
  sent: r.sent,
  added: r.added,
  members: JSON.parse(r.members) as Record<string, GroupMember>,
  version: r.version,
});

const toRow = (g: NotificationGroup) => ({
  id: g.id,
  route_key: g.routeKey,
  channel: g.channel,
  group_key: g.groupKey,
  created_at: g.createdAt.getTime(),
  last_sent_at: g.lastSentAt?.getTime() ?? null,
  next_flush_at: g.nextFlushAt?.getTime() ?? null,
  sent: g.sent,
  added: g.added,
  members: JSON.stringify(g.members),
  version: g.version,
});

/** The notifier's grouping state: one row per group, pending events beside it; version-checked writes. */
export class SqliteNotificationGroupRepository implements NotificationGroupRepository {
  private readonly q;
  constructor(private readonly db: Db) {
    const columns =
      'route_key, channel, group_key, created_at, last_sent_at, next_flush_at, sent, added, members, version';
    const values =
      '@route_key, @channel, @group_key, @created_at, @last_sent_at, @next_flush_at, @sent, @added, @members, @version';
    this.q = {
      get: db.prepare('SELECT * FROM hub_groups WHERE id = ?'),
      due: db.prepare(
        'SELECT * FROM hub_groups WHERE next_flush_at IS NOT NULL AND next_flush_at <= ? ORDER BY next_flush_at LIMIT ?',
      ),
      insert: db.prepare(`INSERT INTO hub_groups (id, ${columns}) VALUES (@id, ${values}) ON CONFLICT (id) DO NOTHING`),
      update: db.prepare(`UPDATE hub_groups SET (${columns}) = (${values}) WHERE id = @id AND version = @expected`),
      delete: db.prepare('DELETE FROM hub_groups WHERE id = ? AND version = ?'),
      isPending: db.prepare('SELECT 1 FROM hub_group_pending WHERE group_id = ? AND event_id = ?').pluck(),
      addPending: db.prepare(
        'INSERT INTO hub_group_pending (group_id, event_id, fingerprint, seq) VALUES (?, ?, ?, ?)',
      ),
      count: db.prepare('SELECT COUNT(*) FROM hub_group_pending WHERE group_id = ? AND seq <= ?').pluck(),
      latest: db
        .prepare('SELECT event_id FROM hub_group_pending WHERE group_id = ? AND seq <= ? ORDER BY seq DESC LIMIT ?')
        .pluck(),
      fingerprints: db
        .prepare('SELECT DISTINCT fingerprint FROM hub_group_pending WHERE group_id = ? AND seq <= ?')
        .pluck(),
      dropPending: db.prepare('DELETE FROM hub_group_pending WHERE group_id = ? AND seq <= ?'),
    };
  }

  async get(id: string): Promise<NotificationGroup | null> {
    const row = this.q.get.get(id) as GroupRow | undefined;
    return row ? toGroup(row) : null;
  }

  async due(now: Date, limit: number): Promise<NotificationGroup[]> {
    return (this.q.due.all(now.getTime(), limit) as GroupRow[]).map(toGroup);
  }

  async pending(id: string, upTo: number, limit: number) {
    return this.db.transaction(() => ({
      total: this.q.count.get(id, upTo) as number,
      latest: (this.q.latest.all(id, upTo, limit) as string[]).reverse(),
      fingerprints: this.q.fingerprints.all(id, upTo) as string[],
    }))();
  }

  async addEvent(
    group: NotificationGroup,
    expectedVersion: number,
    event: { eventId: string; fingerprint: string; seq: number },
  ) {
    return this.db.transaction((): 'added' | 'duplicate' | 'conflict' => {
      if (this.q.isPending.get(group.id, event.eventId)) return 'duplicate';
      if (!this.write(group, expectedVersion)) return 'conflict';
      this.q.addPending.run(group.id, event.eventId, event.fingerprint, event.seq);
      return 'added';
    })();
  }

  async commitFlush(
    id: string,
    expectedVersion: number,
    upTo: number,
    group: NotificationGroup | null,
  ): Promise<boolean> {
    return this.db.transaction(() => {
      const written = group ? this.write(group, expectedVersion) : this.q.delete.run(id, expectedVersion).changes === 1;
      if (written) this.q.dropPending.run(id, upTo);
      return written;
    })();
  }

  private write(group: NotificationGroup, expectedVersion: number): boolean {
    const row = toRow(group);
    if (expectedVersion === 0) return this.q.insert.run(row).changes === 1;
    return this.q.update.run({ ...row, expected: expectedVersion }).changes === 1;
  }
}
