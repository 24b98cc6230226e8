import type { LineAnchor, MetricAggregator, MetricFilterPlan } from '../../../core/logs/metrics/index.ts';

interface Choice {
  anchor: LineAnchor;
  needle: Buffer;
  /** Chunks until the choice is checked again. */
  until: number;
}

const choices = new WeakMap<MetricFilterPlan, Choice>();
const RECHECK_EVERY = 64;
const SAMPLE_BYTES = 256 * 1024;

/**
 * Applies an anchored metric filter to complete lines in raw bytes without decoding them all: native
 * Buffer.indexOf jumps between occurrences of the anchor (and backslashes, for JSON patterns), and only
 * those lines are decoded and tested. Of several anchors the rarest in recent data is used (a JSON key
 * is on every line, its value seldom is). Returns how many lines matched.
 */
export function scanBuffer(buf: Buffer, plan: MetricFilterPlan, timestampMs: number, into: MetricAggregator): number {
  const { anchor, needle } = choose(plan, buf);
  const n = buf.length;
  let matched = 0;
  let pos = 0;
  let backslash = anchor.unlessBackslash ? buf.indexOf(92) : -1;
  while (pos < n) {
    let hit = buf.indexOf(needle, pos);
    if (backslash >= 0 && backslash < pos) backslash = buf.indexOf(92, pos);
    if (backslash >= 0 && (hit < 0 || backslash < hit)) hit = backslash;
    if (hit < 0) break;
    const start = hit > pos ? buf.lastIndexOf(10, hit - 1) + 1 : pos;
    let end = buf.indexOf(10, hit);
    if (end < 0) end = n;
    pos = end + 1;
    if (end > start && buf[end - 1] === 13) end--;
    if (plan.applyCandidate(buf.toString('utf8', start, end), timestampMs, into)) matched++;
  }
  return matched;
}

function choose(plan: MetricFilterPlan, buf: Buffer): Choice {
  let c = choices.get(plan);
  if (c && --c.until > 0) return c;
  const sample = buf.subarray(0, SAMPLE_BYTES);
  let best: Choice | undefined;
  let fewest = Infinity;
  for (const anchor of plan.anchors) {
    const needle = Buffer.from(anchor.text, 'utf8');
    let hits = 0;
    for (let p = sample.indexOf(needle); p >= 0 && hits < fewest; p = sample.indexOf(needle, p + needle.length)) hits++;
    if (hits < fewest) {
      fewest = hits;
      best = { anchor, needle, until: RECHECK_EVERY };
    }
  }
  choices.set(plan, (c = best!));
  return c;
}

/** Lines in complete-line text (each ends in '\n'). */
export function countLines(buf: Buffer): number {
  let n = 0;
  for (let p = buf.indexOf(10); p >= 0; p = buf.indexOf(10, p + 1)) n++;
  return n;
}
