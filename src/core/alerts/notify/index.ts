/** The notifier: routes, silences, grouping/throttling, channel formatters and the channel sender. */
export { CHANNEL_SECRET_MISSING, resolveChannel, resolveChannels, type ResolvedChannel } from './channels.ts';
export { attemptOf, parseRetryAfter, type RetryPolicy } from './delivery.ts';
export * from './format/index.ts';
export { afterFlush, newGroup, withEvent, type GroupTiming } from './grouping.ts';
export { Notifier, type NotifierDeps } from './notifier.ts';
export { compileRoutes, groupKeyOf, matchingRoutes, type CompiledRoute } from './routes.ts';
export { ChannelSender, DEFAULT_SEND_TIMEOUT_MS, type ChannelSenderDeps } from './sender.ts';
export { INVALID_SILENCE, inRecurringWindow, Silences, type ActiveSilence, type NewSilence } from './silences.ts';
export { MAX_EVENT_IDS, type ChannelMessage, type FormatContext, type Notification } from './types.ts';
export const channelQueue = (channel: string) => `channel:${channel}`;
