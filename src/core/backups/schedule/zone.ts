/**
 * IANA time-zone maths through the built-in Intl API: the wall clock of an instant, and the
 * instants of a wall-clock time (none in a spring-forward gap, two in a fall-back fold).
 */
import { invalid } from '../../errors.ts';
import { fromNaiveMs, toNaiveMs } from './calendar.ts';
import { INVALID_TIME_ZONE } from './errors.ts';
import type { LocalDateTime } from './types.ts';

const DAY_MS = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

const isUtc = (timeZone: string) => timeZone === 'UTC' || timeZone === 'Etc/UTC';

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        second: 'numeric',
      });
    } catch (cause) {
      throw invalid(INVALID_TIME_ZONE, `'${timeZone}' is not a known IANA time zone`, {
        timeZone,
        cause: String(cause),
      });
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws CAIRN_INVALID_TIME_ZONE unless the runtime knows the zone. */
export function assertTimeZone(timeZone: string): void {
  if (typeof timeZone !== 'string' || timeZone === '') {
    throw invalid(INVALID_TIME_ZONE, 'a time zone must be a non-empty IANA name', { timeZone });
  }
  formatterFor(timeZone);
}

/** The wall-clock reading of an instant in the zone (to the second). */
export function wallClock(utcMs: number, timeZone: string): LocalDateTime {
  if (isUtc(timeZone)) return fromNaiveMs(utcMs);
  const fields: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(utcMs)) {
    if (part.type !== 'literal') fields[part.type] = Number(part.value);
  }
  return {
    year: fields.year ?? NaN,
    month: fields.month ?? NaN,
    day: fields.day ?? NaN,
    hour: fields.hour ?? NaN,
    minute: fields.minute ?? NaN,
    second: fields.second ?? NaN,
  };
}

/** Offset of the zone from UTC at an instant, in ms (wall clock minus UTC). */
export function offsetMs(utcMs: number, timeZone: string): number {
  const wholeSecond = utcMs - (((utcMs % 1000) + 1000) % 1000);
  return toNaiveMs(wallClock(wholeSecond, timeZone)) - wholeSecond;
}

/**
 * Every instant whose wall clock in the zone reads `local`, ascending: [] in a gap, two in a fold.
 * Offsets are sampled a day either side, which covers any single transition (including whole
 * skipped days such as Pacific/Apia on 2011-12-30).
 */
export function instantsOf(local: LocalDateTime, timeZone: string): number[] {
  const naive = toNaiveMs(local);
  if (isUtc(timeZone)) return [naive];
  const offsets = new Set([
    offsetMs(naive - DAY_MS, timeZone),
    offsetMs(naive, timeZone),
    offsetMs(naive + DAY_MS, timeZone),
  ]);
  const instants: number[] = [];
  for (const offset of offsets) {
    const candidate = naive - offset;
    if (offsetMs(candidate, timeZone) === offset && !instants.includes(candidate)) instants.push(candidate);
  }
  return instants.sort((a, b) => a - b);
}

/**
 * The instant a one-off wall-clock time denotes: its first occurrence in a fold, and in a gap the
 * time pushed forward by the gap's length (02:30 on a spring-forward night becomes 03:30), as
 * java.time and Temporal's 'compatible' disambiguation do.
 */
export function resolveLocal(local: LocalDateTime, timeZone: string): number {
  const [first] = instantsOf(local, timeZone);
  if (first !== undefined) return first;
  const naive = toNaiveMs(local);
  return naive - offsetMs(naive - DAY_MS, timeZone);
}
