/**
 * Topic subscriptions: those in cairn.yaml (fixed while the process runs) and those added at runtime
 * through a SubscriptionStore (the admin API). Names are unique across both; config ones cannot be
 * replaced or removed at runtime. Every filter policy is checked before it is accepted.
 */
import { subscriptionSchema, type SubscriptionConfig } from '../../../config/alerts.ts';
import type { SubscriptionRecord, SubscriptionStore } from '../../../ports/alerts-topic.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { validateFilterPolicy, type FilterPolicy, type FilterPolicyScope } from '../filter-policy/index.ts';
import { standardWebhooksKey } from '../ingest/index.ts';
import { newWebhookSecret } from './sign.ts';

export interface Subscription {
  name: string;
  endpoint: string;
  /** whsec_… to sign deliveries with; null sends them unsigned (config only). */
  secret: string | null;
  filterPolicy: FilterPolicy | null;
  filterPolicyScope: FilterPolicyScope;
  maxReceiveCount: number;
  origin: 'config' | 'runtime';
}

export const INVALID_SUBSCRIPTION = 'CAIRN_INVALID_SUBSCRIPTION';

/** Config subscriptions with secretEnv read from `env` (passed in: the core reads no process state). */
export function subscriptionsFromConfig(
  configs: SubscriptionConfig[],
  env: Record<string, string | undefined>,
): Subscription[] {
  return configs.map((c, i) => {
    const secret = c.secret ?? (c.secretEnv ? env[c.secretEnv] : undefined) ?? null;
    if (c.secretEnv && !secret)
      throw invalid(INVALID_SUBSCRIPTION, `alerts.subscriptions[${i}]: environment variable ${c.secretEnv} is not set`);
    if (secret) standardWebhooksKey(secret, `alerts.subscriptions[${i}].secret`);
    const filterPolicy = c.filterPolicy ? validateFilterPolicy(c.filterPolicy, c.filterPolicyScope) : null;
    return { ...pick(c), secret, filterPolicy, origin: 'config' as const };
  });
}

const pick = (c: Pick<Subscription, 'name' | 'endpoint' | 'filterPolicyScope' | 'maxReceiveCount'>) => ({
  name: c.name,
  endpoint: c.endpoint,
  filterPolicyScope: c.filterPolicyScope,
  maxReceiveCount: c.maxReceiveCount,
});

const fromRecord = (r: SubscriptionRecord): Subscription => ({
  ...pick(r),
  secret: r.secret,
  filterPolicy: r.filterPolicy,
  origin: 'runtime',
});

export class SubscriptionDirectory {
  private readonly configured: Map<string, Subscription>;

  constructor(
    config: Subscription[],
    private readonly store?: SubscriptionStore,
  ) {
    this.configured = new Map(config.map((s) => [s.name, s]));
  }

  async all(): Promise<Subscription[]> {
    const runtime = ((await this.store?.list()) ?? []).filter((r) => !this.configured.has(r.name)).map(fromRecord);
    return [...this.configured.values(), ...runtime];
  }

  async get(name: string): Promise<Subscription | null> {
    const configured = this.configured.get(name);
    if (configured) return configured;
    const record = await this.store?.get(name);
    return record ? fromRecord(record) : null;
  }

  /** Adds (or replaces) a runtime subscription; returns it with its secret (generated when not given). */
  async put(input: unknown, now: Date): Promise<SubscriptionRecord> {
    if (!this.store) throw invalid(INVALID_SUBSCRIPTION, 'runtime subscriptions are not available');
    if (typeof input === 'object' && input !== null && 'secretEnv' in input)
      throw invalid(INVALID_SUBSCRIPTION, 'secretEnv is for cairn.yaml; give secret, or none to get one');
    const parsed = subscriptionSchema.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalid(INVALID_SUBSCRIPTION, `${issue.path.join('.') || 'subscription'}: ${issue.message}`);
    }
    const c = parsed.data;
    if (this.configured.has(c.name))
      throw conflict('CAIRN_SUBSCRIPTION_CONFIGURED', `${c.name} is defined in cairn.yaml`);
    const record: SubscriptionRecord = {
      ...pick(c),
      secret: c.secret ?? newWebhookSecret(),
      filterPolicy: c.filterPolicy ? validateFilterPolicy(c.filterPolicy, c.filterPolicyScope) : null,
      createdAt: now.toISOString(),
    };
    await this.store.put(record);
    return record;
  }

  async remove(name: string): Promise<void> {
    if (this.configured.has(name)) throw conflict('CAIRN_SUBSCRIPTION_CONFIGURED', `${name} is defined in cairn.yaml`);
    if (!(await this.store?.delete(name))) throw notFound('CAIRN_SUBSCRIPTION_NOT_FOUND', `no subscription ${name}`);
  }
}
