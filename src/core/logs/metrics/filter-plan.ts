import { compileFilterPattern, type CompiledFilterPattern } from '../compile.ts';
import { requiredSubstrings } from '../json-prefilter.ts';
import { compileTerms } from '../match-terms.ts';
import { metricValueFor, validateMetricTransformation, type MetricTransformation } from '../metric-value.ts';
import { strictNumber } from '../lexer.ts';
import type { FilterPatternAst } from '../types.ts';
import type { MetricAggregator } from './aggregator.ts';
import { type MetricSeries, seriesKey } from './series.ts';

/** A metric filter as cairn.yaml (and CloudFormation's AWS::Logs::MetricFilter) spells it. */
export interface MetricFilterDefinition {
  readonly name: string;
  readonly logGroup: string;
  readonly FilterPattern: string;
  readonly MetricTransformations: readonly MetricTransformation[];
}

/** A substring every matching line contains; lines with a backslash must be looked at too when asked. */
export interface LineAnchor {
  readonly text: string;
  readonly unlessBackslash: boolean;
}

/**
 * One metric filter, compiled once, applied to log events. A constant MetricValue without dimensions
 * (the usual `"1"` counter) takes the whole-text fast path: matching lines are counted, not visited.
 */
export class MetricFilterPlan {
  readonly compiled: CompiledFilterPattern;
  readonly transformation: MetricTransformation;
  /** Substrings every matching line contains (any one of them can drive a scan); the longest first. */
  readonly anchors: readonly LineAnchor[];
  readonly anchor: LineAnchor | undefined;
  /** The value every match publishes, when it needs no field of the event and there are no dimensions. */
  private readonly constant: number | undefined;
  private readonly defaultValue: number | undefined;
  private readonly plainSeries: MetricSeries;
  private readonly plainKey: string;
  private readonly unit: string | undefined;

  constructor(readonly definition: MetricFilterDefinition) {
    this.compiled = compileFilterPattern(definition.FilterPattern);
    const t = definition.MetricTransformations[0];
    if (!t || definition.MetricTransformations.length !== 1)
      throw new RangeError('a metric filter has exactly one metric transformation');
    validateMetricTransformation(t);
    this.transformation = t;
    const dims = t.Dimensions ?? [];
    const value = strictNumber(t.MetricValue);
    this.constant = dims.length === 0 && value !== undefined && Number.isFinite(value) ? value : undefined;
    this.defaultValue = t.DefaultValue ?? undefined;
    this.plainSeries = { namespace: t.MetricNamespace ?? '', name: t.MetricName ?? '', dimensions: {} };
    this.plainKey = seriesKey(this.plainSeries);
    this.unit = t.Unit;
    this.anchors = anchorsOf(this.compiled.ast);
    this.anchor = this.anchors[0];
  }

  get hasDefault(): boolean {
    return this.defaultValue !== undefined;
  }

  /** One event: publishes its observation (or DefaultValue when it does not match). Returns whether it matched. */
  applyEvent(message: string, timestampMs: number, into: MetricAggregator): boolean {
    const m = this.compiled.match(message);
    if (!m) {
      this.addDefaults(1, timestampMs, into);
      return false;
    }
    this.publish(metricValueFor(this.transformation, m), timestampMs, into);
    return true;
  }

  /**
   * A line already known to match the anchor (or every line of a text): publishes its observation if it
   * matches and returns whether it did. DefaultValue is not added here: see addDefaults.
   */
  applyCandidate(line: string, timestampMs: number, into: MetricAggregator): boolean {
    if (this.constant !== undefined) {
      if (!this.compiled.matches(line)) return false;
      into.addKeyed(this.plainKey, this.plainSeries, this.unit, timestampMs, this.constant);
      return true;
    }
    const m = this.compiled.match(line);
    if (!m) return false;
    this.publish(metricValueFor(this.transformation, m), timestampMs, into);
    return true;
  }

  /**
   * Complete lines of text (each ending in '\n'; a trailing '\r' is dropped) read at one time. Returns
   * how many matched; the caller adds DefaultValue for the others when it knows how many lines there were.
   */
  applyText(text: string, timestampMs: number, into: MetricAggregator): number {
    if (this.constant !== undefined) {
      const n = this.compiled.countMatchingLines(text);
      into.addKeyed(this.plainKey, this.plainSeries, this.unit, timestampMs, this.constant, n);
      return n;
    }
    let n = 0;
    this.compiled.forEachMatchingLine(text, (line) => {
      n++;
      const m = this.compiled.match(line);
      if (m) this.publish(metricValueFor(this.transformation, m), timestampMs, into);
    });
    return n;
  }

  /** DefaultValue for `nonMatching` events (nothing when the filter has none), as CloudWatch publishes it. */
  addDefaults(nonMatching: number, timestampMs: number, into: MetricAggregator): void {
    if (this.defaultValue === undefined || nonMatching <= 0) return;
    into.addKeyed(this.plainKey, this.plainSeries, this.unit, timestampMs, this.defaultValue, nonMatching);
  }

  private publish(
    obs: { value: number; dimensions: Readonly<Record<string, string>> } | undefined,
    timestampMs: number,
    into: MetricAggregator,
  ): void {
    if (!obs) return;
    if (Object.keys(obs.dimensions).length === 0) {
      into.addKeyed(this.plainKey, this.plainSeries, this.unit, timestampMs, obs.value);
      return;
    }
    into.add({ ...this.plainSeries, dimensions: obs.dimensions }, this.unit, timestampMs, obs.value);
  }
}

/**
 * Substrings every matching line contains, as the core's own scanner finds them (compile.ts): the text
 * terms of a one-group terms pattern, the required strings of a JSON pattern (lines with a backslash
 * must be looked at too: JSON may escape any character). Longest first.
 */
function anchorsOf(ast: FilterPatternAst): LineAnchor[] {
  let texts: string[] = [];
  let unlessBackslash = false;
  if (ast.kind === 'terms') {
    const first = compileTerms(ast).anchor;
    if (first !== undefined && ast.groups.length === 1)
      texts = ast.groups[0]!.include.flatMap((t) => (t.kind === 'text' ? [t.text] : []));
  } else if (ast.kind === 'json') {
    unlessBackslash = true;
    texts = requiredSubstrings(ast.expression).map((r) => r.replace(/^"|"$/g, ''));
  }
  // Bytes that did not decode become U+FFFD: such an anchor cannot be searched for in the raw bytes.
  return [...new Set(texts)]
    .filter((t) => t.length > 0 && !/[\r\n\uFFFD]/.test(t))
    .sort((a, b) => b.length - a.length)
    .map((text) => ({ text, unlessBackslash }));
}
