/**
 * ChannelWorker step: takes a notification off `channel:<name>`, renders it for the channel and sends it.
 * Idempotent per (event, `channel:<name>`): events whose delivery already succeeded are left out, and a
 * message whose events all succeeded is acked without a request, so retries and redeliveries never post
 * twice. A reminder (`repeat`) is meant to be sent again and skips that check.
 */
import type { DeliveryBatches } from '../../../ports/alerts-topic.ts';
import type { EventHistory, HttpClient, Mailer } from '../../../ports/alerts.ts';
import type { EnrichedEvent } from '../model.ts';
import type { Logger } from '../../../ports/logger.ts';
import type { QueueMessage } from '../../../ports/queue.ts';
import type { Clock } from '../../clock.ts';
import { enrichedOf } from '../topic/event-body.ts';
import { standardWebhookHeaders } from '../topic/sign.ts';
import type { HandleOutcome } from '../workers/outcome.ts';
import type { ResolvedChannel } from './channels.ts';
import { attemptOf, failedAttempt, recordedOutcome, retryOutcome, type Attempt, type RetryPolicy } from './delivery.ts';
import { sendUnits, type SendUnit } from './format/index.ts';
import type { ChannelMessage, FormatContext, Notification } from './types.ts';

export interface ChannelSenderDeps {
  channels: Record<string, ResolvedChannel>;
  history: EventHistory;
  deliveries: DeliveryBatches;
  http: HttpClient;
  /** The mailer of an e-mail channel (one SMTP transport per channel). */
  mailerFor?: (channel: string) => Mailer;
  clock: Clock;
  logger: Logger;
  retry: RetryPolicy;
  /** Cuts a hanging endpoint (default 10 s). */
  timeoutMs?: number;
  format?: FormatContext;
  random?: () => number;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

export class ChannelSender {
  constructor(private readonly d: ChannelSenderDeps) {}

  async handle(message: QueueMessage<ChannelMessage>): Promise<HandleOutcome> {
    const m = message.body;
    const channel = this.d.channels[m.channel];
    if (!channel) {
      this.d.logger.warn({ channel: m.channel, notification: m.id }, 'no such channel any more; dropping');
      return 'ack';
    }
    const target = `channel:${m.channel}`;
    try {
      const records = new Map((await this.d.deliveries.ensureAll(m.eventIds, target)).map((r) => [r.eventId, r]));
      const todo = m.repeat ? m.eventIds : m.eventIds.filter((id) => records.get(id)!.status !== 'succeeded');
      const stored = await Promise.all(todo.map((id) => this.d.history.get(id)));
      const events = stored.filter((e) => e !== null).map(enrichedOf);
      if (events.length === 0) return 'ack';
      const skipped = m.eventIds.length - todo.length;
      const n = notificationOf(m, events, Math.max(events.length, m.count - skipped));
      const final = message.receiveCount >= this.d.retry.maxReceiveCount;
      const failures: Attempt[] = [];
      for (const unit of sendUnits(channel, n, this.d.format)) {
        const attempt = await this.send(unit, m);
        const ids = unit.eventIds.map((id) => records.get(id)!.id);
        await this.d.deliveries.recordAttempts(ids, recordedOutcome(attempt, this.d.clock.now(), final));
        if (!attempt.ok) failures.push(attempt);
      }
      if (failures.length === 0) return 'ack';
      this.d.logger.warn(
        { channel: m.channel, notification: m.id, attempt: message.receiveCount, error: failures[0]!.error },
        'channel delivery failed',
      );
      return retryOutcome(message.receiveCount, this.d.retry, failures, this.d.random);
    } catch (err) {
      return retryOutcome(message.receiveCount, this.d.retry, [failedAttempt(err)], this.d.random);
    }
  }

  private async send(unit: SendUnit, m: ChannelMessage): Promise<Attempt> {
    try {
      if (unit.kind === 'mail') {
        if (!this.d.mailerFor) return failedAttempt(new Error(`no mailer for e-mail channel ${m.channel}`));
        await this.d.mailerFor(m.channel).send(unit.message);
        return { ok: true, error: null, retryAfterSeconds: null };
      }
      const now = this.d.clock.now();
      const timestamp = Math.floor(now.getTime() / 1000);
      const signature = unit.sign
        ? standardWebhookHeaders(unit.sign, m.id, timestamp, unit.request.body ?? '', `alerts.channels.${m.channel}`)
        : {};
      const headers = { ...unit.request.headers, ...signature };
      const result = await this.d.http.send({
        ...unit.request,
        headers,
        timeoutMs: this.d.timeoutMs ?? DEFAULT_SEND_TIMEOUT_MS,
      });
      return attemptOf(result, this.d.clock.now());
    } catch (err) {
      return failedAttempt(err);
    }
  }
}

function notificationOf(m: ChannelMessage, events: EnrichedEvent[], count: number): Notification {
  return {
    id: m.id,
    channel: m.channel,
    groupKey: m.groupKey,
    status: m.status,
    count,
    repeat: m.repeat,
    events,
    latest: events[events.length - 1]!,
  };
}
