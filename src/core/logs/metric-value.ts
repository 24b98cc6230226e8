import { invalid } from '../errors.ts';
import { INVALID_METRIC_TRANSFORMATION, isPatternError } from './errors.ts';
import { resolveOne } from './json-path.ts';
import { Cursor, strictNumber } from './lexer.ts';
import { readSelector } from './parse-json.ts';
import type { FilterMatch, PathSegment } from './types.ts';

/** One entry of CloudFormation's `MetricTransformations` (the keys cairn.yaml mirrors). */
export interface MetricTransformation {
  readonly MetricName?: string;
  readonly MetricNamespace?: string;
  /** A number (`"1"`), a JSON field (`"$.latency"`) or a space-delimited field (`"$bytes"`, `"$7"`). */
  readonly MetricValue: string;
  /** Emitted for an event that does NOT match; nothing is emitted for it when absent. */
  readonly DefaultValue?: number | null;
  /** Up to three; each Value is a field, `$.x` or `$x`. AWS refuses Dimensions with a DefaultValue. */
  readonly Dimensions?: readonly { readonly Key: string; readonly Value: string }[];
  readonly Unit?: string;
}

/** What one log event contributes to the metric. */
export interface MetricObservation {
  readonly value: number;
  readonly dimensions: Readonly<Record<string, string>>;
}

type Ref = { kind: 'json'; path: readonly PathSegment[] } | { kind: 'field'; key: string };

interface Compiled {
  readonly value: number | Ref;
  readonly defaultValue: number | undefined;
  readonly dimensions: readonly { key: string; ref: Ref }[];
}

const MAX_DIMENSIONS = 3;
const cache = new WeakMap<MetricTransformation, Compiled>();

const fail = (message: string) => invalid(INVALID_METRIC_TRANSFORMATION, message);

/** Checks a transformation the way PutMetricFilter does; throws CairnError CAIRN_INVALID_METRIC_TRANSFORMATION. */
export function validateMetricTransformation(t: MetricTransformation): void {
  compileTransformation(t);
}

/**
 * The observation a log event yields: for a match, MetricValue (a number, or the numeric value of the
 * referenced field) with the dimension values taken from the event; undefined when a referenced field
 * is missing or not numeric. For a non-match (`match` undefined), DefaultValue with no dimensions, or
 * undefined when there is no DefaultValue.
 */
export function metricValueFor(t: MetricTransformation, match: FilterMatch | undefined): MetricObservation | undefined {
  const c = compileTransformation(t);
  if (!match) return c.defaultValue === undefined ? undefined : { value: c.defaultValue, dimensions: {} };
  let value: number | undefined;
  if (typeof c.value === 'number') value = c.value;
  else {
    const v = lookup(c.value, match);
    value = typeof v === 'number' ? v : typeof v === 'string' ? strictNumber(v) : undefined;
  }
  if (value === undefined || !Number.isFinite(value)) return undefined;
  const dimensions: Record<string, string> = {};
  for (const d of c.dimensions) {
    const v = lookup(d.ref, match);
    if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return undefined;
    dimensions[d.key] = String(v);
  }
  return { value, dimensions };
}

function lookup(ref: Ref, match: FilterMatch): unknown {
  if (ref.kind === 'field') return match.extractedValues[ref.key];
  let root = match.json;
  if (root === undefined) {
    try {
      root = JSON.parse(match.eventMessage);
    } catch {
      return undefined;
    }
  }
  return resolveOne(root, ref.path);
}

function compileTransformation(t: MetricTransformation): Compiled {
  const hit = cache.get(t);
  if (hit) return hit;
  if (typeof t !== 'object' || t === null) throw fail('a metric transformation must be an object');
  const mv = t.MetricValue;
  if (typeof mv !== 'string' || mv.length === 0)
    throw fail('MetricValue must be a number or a field such as $.latency or $bytes');
  const num = strictNumber(mv);
  const value = num ?? parseRef(mv, 'MetricValue');
  const dv = t.DefaultValue;
  if (dv !== undefined && dv !== null && (typeof dv !== 'number' || !Number.isFinite(dv))) {
    throw fail('DefaultValue must be a finite number');
  }
  const dims = t.Dimensions ?? [];
  if (!Array.isArray(dims)) throw fail('Dimensions must be a list of { Key, Value }');
  if (dims.length > MAX_DIMENSIONS) throw fail(`a metric filter can have at most ${MAX_DIMENSIONS} dimensions`);
  if (dims.length > 0 && dv !== undefined && dv !== null)
    throw fail('a metric transformation cannot have both Dimensions and a DefaultValue');
  const dimensions = dims.map((d, i) => {
    if (typeof d?.Key !== 'string' || d.Key.length === 0) throw fail(`Dimensions[${i}].Key must be a non-empty string`);
    if (typeof d.Value !== 'string') throw fail(`Dimensions[${i}].Value must be a field such as $.x or $x`);
    return { key: d.Key, ref: parseRef(d.Value, `Dimensions[${i}].Value`) };
  });
  const compiled: Compiled = { value, defaultValue: dv ?? undefined, dimensions };
  cache.set(t, compiled);
  return compiled;
}

function parseRef(text: string, what: string): Ref {
  if (/^\$[A-Za-z0-9_-]+$/.test(text)) return { kind: 'field', key: text };
  if (text.startsWith('$.') || text.startsWith('$[')) {
    try {
      const c = new Cursor(text);
      const selector = readSelector(c);
      if (c.eof()) return { kind: 'json', path: selector.path };
    } catch (e) {
      if (!isPatternError(e)) throw e;
    }
  }
  throw fail(`${what} must be a number or a field such as $.latency or $bytes, not ${JSON.stringify(text)}`);
}
