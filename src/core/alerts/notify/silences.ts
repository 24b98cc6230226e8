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

/** A silence window in ms (±Infinity: open on that side). */
interface Window {
  start: number;
  end: number;
}

interface CompiledSilence extends ActiveSilence {
  config: SilenceConfig;
  matcher: CompiledFilterPolicy;
  /** The window holding `now`, else the next one to open; null when it will not hold again. */
  window(now: Date): Window | null;
}

const holds = (w: Window | null, now: Date) => w !== null && w.start <= now.getTime();

/**
 * The window of a recurring silence holding `now`, else the next one: it opens at a fire time of
 * `schedule` and lasts `durationSeconds`, so it is the one opened by the first fire after
 * `now − duration`. Fire times follow the zone's wall clock (DST included), the duration is elapsed time.
 */
function recurringWindow(schedule: Schedule, durationSeconds: number, timeZone: string, now: Date): Window | null {
  if (durationSeconds <= 0) return null;
  const [fire] = nextFireTimes(schedule, {
    from: new Date(now.getTime() - durationSeconds * 1000),
    count: 1,
    timeZone,
  });
  return fire ? { start: fire.getTime(), end: fire.getTime() + durationSeconds * 1000 } : null;
}

/** Whether `now` falls in a window of the recurring silence (see recurringWindow). */
export function inRecurringWindow(schedule: Schedule, durationSeconds: number, timeZone: string, now: Date): boolean {
  return holds(recurringWindow(schedule, durationSeconds, timeZone, now), now);
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
      config: s,
      matcher,
      window: (now) => recurringWindow(schedule, duration, timeZone, now),
    };
  }
  const start = s.startsAt ? Date.parse(s.startsAt) : -Infinity;
  const end = s.endsAt ? Date.parse(s.endsAt) : Infinity;
  return {
    id: `config:${s.name}`,
    name: s.name,
    config: s,
    matcher,
    window: (now) => (end > now.getTime() ? { start, end } : null),
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

/** What a compiled `alerts.silences` entry looks like at `now`. */
function configuredSilenceView(c: CompiledSilence, now: Date): ConfiguredSilenceView {
  const s = c.config;
  const window = c.window(now);
  return {
    id: c.id,
    origin: 'config',
    name: s.name,
    match: s.match,
    comment: s.comment ?? null,
    startsAt: s.schedule || !s.startsAt ? null : new Date(Date.parse(s.startsAt)).toISOString(),
    endsAt: s.schedule || !s.endsAt ? null : new Date(Date.parse(s.endsAt)).toISOString(),
    schedule: s.schedule
      ? { expression: s.schedule.expression, durationSeconds: s.schedule.duration, timeZone: s.schedule.timeZone }
      : null,
    nextWindow: window ? { startsAt: isoOrNull(window.start), endsAt: isoOrNull(window.end) } : null,
    state: !window ? 'expired' : holds(window, now) ? 'active' : 'scheduled',
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

  /** The silences of cairn.yaml, in file order, as they stand at `now`. */
  listConfigured(now: Date): ConfiguredSilenceView[] {
    return this.configured.map((c) => configuredSilenceView(c, now));
  }

  /** The first silence holding events with these attributes at `now`, or null. */
  async matching(messageAttributes: MessageAttributes, now: Date): Promise<ActiveSilence | null> {
    for (const s of this.configured) {
      if (holds(s.window(now), now) && s.matcher.matches({ messageAttributes })) return { id: s.id, name: s.name };
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
