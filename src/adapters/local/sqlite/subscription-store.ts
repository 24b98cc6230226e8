import type { FilterPolicy, FilterPolicyScope } from '../../../core/alerts/filter-policy/index.ts';
import type { SubscriptionRecord, SubscriptionStore } from '../../../ports/alerts-topic.ts';
import type { Db } from './db.ts';

interface SubscriptionRow {
  name: string;
  endpoint: string;
  secret: string;
  filter_policy: string | null;
  filter_policy_scope: FilterPolicyScope;
  max_receive_count: number;
  created_at: number;
}

const toSubscription = (r: SubscriptionRow): SubscriptionRecord => ({
  name: r.name,
  endpoint: r.endpoint,
  secret: r.secret,
  filterPolicy: r.filter_policy === null ? null : (JSON.parse(r.filter_policy) as FilterPolicy),
  filterPolicyScope: r.filter_policy_scope,
  maxReceiveCount: r.max_receive_count,
  createdAt: new Date(r.created_at).toISOString(),
});

/** Runtime topic subscriptions. The signing secret is stored as given: the hub must sign with it. */
export class SqliteSubscriptionStore implements SubscriptionStore {
  private readonly q;
  constructor(db: Db) {
    this.q = {
      put: db.prepare(
        `INSERT INTO hub_subscriptions (name, endpoint, secret, filter_policy, filter_policy_scope, max_receive_count, created_at)
         VALUES (@name, @endpoint, @secret, @filter_policy, @filter_policy_scope, @max_receive_count, @created_at)
         ON CONFLICT (name) DO UPDATE SET endpoint = excluded.endpoint, secret = excluded.secret,
           filter_policy = excluded.filter_policy, filter_policy_scope = excluded.filter_policy_scope,
           max_receive_count = excluded.max_receive_count, created_at = excluded.created_at`,
      ),
      get: db.prepare('SELECT * FROM hub_subscriptions WHERE name = ?'),
      delete: db.prepare('DELETE FROM hub_subscriptions WHERE name = ?'),
      list: db.prepare('SELECT * FROM hub_subscriptions ORDER BY name'),
    };
  }

  async put(s: SubscriptionRecord): Promise<void> {
    this.q.put.run({
      name: s.name,
      endpoint: s.endpoint,
      secret: s.secret,
      filter_policy: s.filterPolicy === null ? null : JSON.stringify(s.filterPolicy),
      filter_policy_scope: s.filterPolicyScope,
      max_receive_count: s.maxReceiveCount,
      created_at: Date.parse(s.createdAt),
    });
  }

  async get(name: string): Promise<SubscriptionRecord | null> {
    const row = this.q.get.get(name) as SubscriptionRow | undefined;
    return row ? toSubscription(row) : null;
  }

  async delete(name: string): Promise<boolean> {
    return this.q.delete.run(name).changes > 0;
  }

  async list(): Promise<SubscriptionRecord[]> {
    return (this.q.list.all() as SubscriptionRow[]).map(toSubscription);
  }
}
