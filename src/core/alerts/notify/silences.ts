/**
 * Silences: configured ones (one-off startsAt/endsAt, or a recurring window: an EventBridge cron() start
 * in a time zone plus a duration) and runtime ones the admin API adds and expires. A silence holds an
 * event when its match (SNS filter policy over the attributes) accepts it while the silence is active.
 */
import type { SilenceConfig } from '../../../config/alerts.ts';
import type { SilenceRecord, SilenceStore } from '../../../ports/alerts-topic.ts';
import { assertTimeZone, nextFireTimes, parseSchedule, type Schedule } from '../../backups/schedule/index.ts';
import { conflict, invalid, notFound } from '../../errors.ts';
import { randomId } from '../../ids.ts';
import { compileFilterPolicy, type CompiledFilterPolicy, type MessageAttributes } from '../filter-policy/index.ts';
import { compileMatch } from './routes.ts';

export const INVALID_SILENCE = 'CAIRN_INVALID_SILENCE';
/** A silence from cairn.yaml was asked to end through the API: it lives in the file. */
export const SILENCE_READ_ONLY = 'CAIRN_SILENCE_READ_ONLY';

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

/** A silence from cairn.yaml as the admin API lists it (read-only there). */
export interface ConfiguredSilenceView {
  /** `config:<name>`. */
  id: string;
  origin: 'config';
  name: string;
  match: Record<string, unknown>;
  comment: string | null;
  /** A one-off window's bounds (null: open on that side); null for a recurring one. */
  startsAt: string | null;
  endsAt: string | null;
  /** A recurring window: a cron()/at() start in a time zone, lasting `durationSeconds`. */
  schedule: { expression: string; durationSeconds: number; timeZone: string } | null;
  /** The window holding now, else the next one to open; null when it will not hold again. */
  nextWindow: { startsAt: string | null; endsAt: string | null } | null;
  state: 'active' | 'scheduled' | 'expired';
}

const isoOrNull = (ms: number) => (Number.isFinite(ms) ? new Date(ms).toISOString() : null);

/** What an `alerts.silences` entry looks like at `now`; the window maths is inRecurringWindow's. */
export function configuredSilenceView(s: SilenceConfig, now: Date): ConfiguredSilenceView {
  const base = { id: `config:${s.name}`, origin: 'config' as const, name: s.name, match: s.match };
  const t = now.getTime();
  let window: { start: number; end: number } | null;
  if (s.schedule) {
    const { expression, duration, timeZone } = s.schedule;
    // The first fire after now − duration opens the window holding now, or else the next one.
    const [fire] = nextFireTimes(parseSchedule(expression), {
      from: new Date(t - duration * 1000),
      count: 1,
      timeZone,
    });
    window = fire && duration > 0 ? { start: fire.getTime(), end: fire.getTime() + duration * 1000 } : null;
  } else {
    const end = s.endsAt ? Date.parse(s.endsAt) : Infinity;
    window = end > t ? { start: s.startsAt ? Date.parse(s.startsAt) : -Infinity, end } : null;
  }
  return {
    ...base,
    comment: s.comment ?? null,
    startsAt: s.schedule || !s.startsAt ? null : new Date(Date.parse(s.startsAt)).toISOString(),
    endsAt: s.schedule || !s.endsAt ? null : new Date(Date.parse(s.endsAt)).toISOString(),
    schedule: s.schedule
      ? { expression: s.schedule.expression, durationSeconds: s.schedule.duration, timeZone: s.schedule.timeZone }
      : null,
    nextWindow: window ? { startsAt: isoOrNull(window.start), endsAt: isoOrNull(window.end) } : null,
    state: !window ? 'expired' : window.start <= t ? 'active' : 'scheduled',
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
  private readonly definitions: readonly SilenceConfig[];

  constructor(
    config: SilenceConfig[],
    private readonly store?: SilenceStore,
  ) {
    this.configured = config.map(compileConfigSilence);
    this.definitions = config;
  }

  /** The silences of cairn.yaml, in file order, as they stand at `now`. */
  listConfigured(now: Date): ConfiguredSilenceView[] {
    return this.definitions.map((s) => configuredSilenceView(s, now));
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
    if (this.configured.some((s) => s.id === id))
      throw conflict(
        SILENCE_READ_ONLY,
        `${id} is declared in cairn.yaml (alerts.silences): edit cairn.yaml to change or remove it.`,
      );
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
