/**
 * Silences: configured ones (one-off startsAt/endsAt, or a recurring window: an EventBridge cron() start
 * in a time zone plus a duration) and runtime ones the admin API adds and expires. A silence holds an
 * event when its match (SNS filter policy over the attributes) accepts it while the silence is active.
 */
import type { SilenceConfig } from '../../../config/alerts.ts';
import type { SilenceRecord, SilenceStore } from '../../../ports/alerts-topic.ts';
import { assertTimeZone, nextFireTimes, parseSchedule, type Schedule } from '../../backups/schedule/index.ts';
import { invalid, notFound } from '../../errors.ts';
import { randomId } from '../../ids.ts';
import { compileFilterPolicy, type CompiledFilterPolicy, type MessageAttributes } from '../filter-policy/index.ts';
import { compileMatch } from './routes.ts';

export const INVALID_SILENCE = 'CAIRN_INVALID_SILENCE';

export interface ActiveSilence {
  /** `config:<name>` or the runtime silence's id. */
  id: string;
  /** The config name, or the runtime id: what the delivery record names (`silence:<name>`). */
  name: string;
}

interface CompiledSilence extends ActiveSilence {
  matcher: CompiledFilterPolicy;
  isActive(now: Date): boolean;
}

/**
 * Whether `now` falls in a window that opens at a fire time of `schedule` and lasts `durationSeconds`:
 * the first fire time after `now − duration` must not be later than `now`. Fire times follow the zone's
 * wall clock (DST included), the duration is elapsed time.
 */
export function inRecurringWindow(schedule: Schedule, durationSeconds: number, timeZone: string, now: Date): boolean {
  if (durationSeconds <= 0) return false;
  const [fire] = nextFireTimes(schedule, {
    from: new Date(now.getTime() - durationSeconds * 1000),
    count: 1,
    timeZone,
  });
  return fire !== undefined && fire.getTime() <= now.getTime();
}

function compileConfigSilence(s: SilenceConfig, index: number): CompiledSilence {
  const where = `alerts.silences[${index}]`;
  const matcher = compileMatch(s.match, `${where}.match`);
  if (s.schedule) {
    const { expression, duration, timeZone } = s.schedule;
    const schedule = parseSchedule(expression);
    if (schedule.kind === 'rate')
      throw invalid(INVALID_SILENCE, `${where}.schedule: use cron(...) or at(...), not rate(...)`);
    assertTimeZone(timeZone);
    return {
      id: `config:${s.name}`,
      name: s.name,
      matcher,
      isActive: (now) => inRecurringWindow(schedule, duration, timeZone, now),
    };
  }
  const starts = s.startsAt ? Date.parse(s.startsAt) : -Infinity;
  const ends = s.endsAt ? Date.parse(s.endsAt) : Infinity;
  return {
    id: `config:${s.name}`,
    name: s.name,
    matcher,
    isActive: (now) => starts <= now.getTime() && now.getTime() < ends,
  };
}

export interface NewSilence {
  match: unknown;
  /** Default: now. */
  startsAt?: string;
  endsAt: string;
  comment?: string | null;
  createdBy?: string | null;
}

export class Silences {
  private readonly configured: CompiledSilence[];
  private readonly runtime = new Map<string, CompiledFilterPolicy>();

  constructor(
    config: SilenceConfig[],
    private readonly store?: SilenceStore,
  ) {
    this.configured = config.map(compileConfigSilence);
  }

  /** The first silence holding events with these attributes at `now`, or null. */
  async matching(messageAttributes: MessageAttributes, now: Date): Promise<ActiveSilence | null> {
    for (const s of this.configured) {
      if (s.isActive(now) && s.matcher.matches({ messageAttributes })) return { id: s.id, name: s.name };
    }
    for (const s of (await this.store?.current(now)) ?? []) {
      if (Date.parse(s.startsAt) > now.getTime()) continue;
      if (this.matcherOf(s).matches({ messageAttributes })) return { id: s.id, name: s.id };
    }
    return null;
  }

  async create(input: NewSilence, now: Date): Promise<SilenceRecord> {
    const store = this.requireStore();
    const startsAt = input.startsAt ?? now.toISOString();
    const starts = Date.parse(startsAt);
    const ends = Date.parse(input.endsAt);
    if (Number.isNaN(starts) || Number.isNaN(ends))
      throw invalid(INVALID_SILENCE, 'startsAt and endsAt must be ISO 8601 times');
    if (ends <= starts || ends <= now.getTime())
      throw invalid(INVALID_SILENCE, 'endsAt must be after startsAt and in the future');
    if ((input.comment ?? '').length > 1000) throw invalid(INVALID_SILENCE, 'comment: at most 1000 characters');
    const matcher = compileFilterPolicy(input.match, 'MessageAttributes');
    const silence: SilenceRecord = {
      id: `sil_${randomId()}`,
      match: matcher.policy,
      startsAt: new Date(starts).toISOString(),
      endsAt: new Date(ends).toISOString(),
      comment: input.comment ?? null,
      createdBy: input.createdBy ?? null,
      createdAt: now.toISOString(),
    };
    await store.create(silence);
    return silence;
  }

  /** Ends a runtime silence now (idempotent: an ended one stays as it was). */
  async expire(id: string, now: Date): Promise<SilenceRecord> {
    const silence = await this.requireStore().expire(id, now);
    if (!silence) throw notFound('CAIRN_SILENCE_NOT_FOUND', `no silence ${id}`);
    return silence;
  }

  private matcherOf(s: SilenceRecord): CompiledFilterPolicy {
    let matcher = this.runtime.get(s.id);
    if (!matcher) {
      matcher = compileFilterPolicy(s.match, 'MessageAttributes');
      if (this.runtime.size > 1000) this.runtime.clear();
      this.runtime.set(s.id, matcher);
    }
    return matcher;
  }

  private requireStore(): SilenceStore {
    if (!this.store) throw invalid(INVALID_SILENCE, 'runtime silences are not available');
    return this.store;
  }
}
