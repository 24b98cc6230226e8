/** The hub's topic: event attributes, subscriptions with SNS filter policies, fan-out and delivery. */
export { eventAttributes } from '../attributes.ts';
export { SubscriptionDeliverer, type SubscriptionDelivererDeps } from './deliverer.ts';
export { enrichedOf } from './event-body.ts';
export { newWebhookSecret, standardWebhookHeaders } from './sign.ts';
export {
  INVALID_SUBSCRIPTION,
  SubscriptionDirectory,
  subscriptionsFromConfig,
  type Subscription,
} from './subscriptions.ts';
export { NOTIFY_QUEUE, subscriptionQueue, Topic, type TopicDeps } from './topic.ts';
