/**
 * The hub's topic, locally: publish(event) fans `{ eventId }` out to queue `sub:<name>` for every
 * subscription whose filter policy accepts the event (SNS semantics: attribute scope over the event's
 * attributes, body scope over the enriched event JSON, no policy = everything), and always to `notify`
 * for the notifier. Sends carry the event id as dedup id, so a republished event is queued once.
 * On AWS the same fan-out is SNS with SQS subscriptions and these policies.
 */
import type { Queue } from '../../../ports/queue.ts';
import { eventAttributes } from '../attributes.ts';
import { compileFilterPolicy, type CompiledFilterPolicy, type FilterPolicyScope } from '../filter-policy/index.ts';
import type { EnrichedEvent } from '../model.ts';
import { enrichedOf } from './event-body.ts';
import type { Subscription, SubscriptionDirectory } from './subscriptions.ts';

export const NOTIFY_QUEUE = 'notify';
export const subscriptionQueue = (name: string) => `sub:${name}`;

export interface TopicDeps {
  subscriptions: SubscriptionDirectory;
  queueFor: (name: string) => Queue<{ eventId: string }>;
}

export class Topic {
  private readonly compiled = new Map<string, CompiledFilterPolicy>();

  constructor(private readonly d: TopicDeps) {}

  /** Returns the queues the event was sent to. */
  async publish(event: EnrichedEvent): Promise<string[]> {
    const messageAttributes = eventAttributes(event);
    const messageBody = enrichedOf(event);
    const targets: string[] = [];
    for (const s of await this.d.subscriptions.all()) {
      const matcher = s.filterPolicy ? this.matcherFor(s) : null;
      const accepts =
        !matcher || matcher.matches(s.filterPolicyScope === 'MessageBody' ? { messageBody } : { messageAttributes });
      if (accepts) targets.push(subscriptionQueue(s.name));
    }
    targets.push(NOTIFY_QUEUE);
    await Promise.all(
      targets.map((q) => this.d.queueFor(q).send({ eventId: event.eventId }, { dedupId: event.eventId })),
    );
    return targets;
  }

  private matcherFor(s: Subscription): CompiledFilterPolicy {
    const scope: FilterPolicyScope = s.filterPolicyScope;
    const key = `${scope}\n${JSON.stringify(s.filterPolicy)}`;
    let matcher = this.compiled.get(key);
    if (!matcher) {
      matcher = compileFilterPolicy(s.filterPolicy, scope);
      if (this.compiled.size >= 1000) this.compiled.clear();
      this.compiled.set(key, matcher);
    }
    return matcher;
  }
}
