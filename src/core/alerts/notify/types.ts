import type { EnrichedEvent, EventStatus } from '../model.ts';

/** The body of a message on queue `channel:<name>`: one notification for one group of events. */
export interface ChannelMessage {
  /** `<group id>#<n>`: stable across retries and redelivery (queue dedup id, webhook-id, Message-ID). */
  id: string;
  channel: string;
  groupKey: string;
  /** The newest events the notification covers (at most MAX_EVENT_IDS), oldest first. */
  eventIds: string[];
  /** How many events it stands for (the storm size; can exceed eventIds.length). */
  count: number;
  status: EventStatus;
  /** A reminder that a group is still firing (repeatInterval), not news. */
  repeat: boolean;
}

/** Ids carried per channel message; a bigger storm is counted, and its newest events listed. */
export const MAX_EVENT_IDS = 500;

/** What a formatter renders: a channel message with its events loaded from history. */
export interface Notification {
  id: string;
  channel: string;
  groupKey: string;
  status: EventStatus;
  count: number;
  repeat: boolean;
  /** Oldest first; never empty. */
  events: EnrichedEvent[];
  /** The newest event: its title, severity and labels stand for the group. */
  latest: EnrichedEvent;
}

/** Optional links formatters add, e.g. to the event in Cairn's web UI. */
export interface FormatContext {
  eventUrl?: (eventId: string) => string;
}
