/**
 * EventBus: domain events leave a capability here (share created/downloaded/revoked/expired, backup
 * finished/failed) so the notification hub can pick them up as source `cairn` without extra glue.
 */
export interface DomainEvent {
  id: string;
  /** e.g. `share.created`, `share.downloaded`, `share.revoked`, `share.expired`. */
  type: string;
  /** UTC ISO 8601. */
  time: string;
  /** Who caused it, when known (a username or `anonymous`). */
  actor?: string;
  data: Record<string, unknown>;
}

export interface EventBus {
  publish(event: DomainEvent): Promise<void>;
}

export type DomainEventHandler = (event: DomainEvent) => void | Promise<void>;
