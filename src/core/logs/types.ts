/**
 * The typed AST of a CloudWatch Logs filter pattern (metric filters, subscription filters, FilterLogEvents).
 * Three languages share one entry point: unstructured terms, space-delimited `[...]` and JSON `{...}`.
 * Every node keeps the 1-based `column` where it starts in the pattern, for error messages and tooling.
 */

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A parsed `%regex%` in AWS's supported subset (see regex-parse.ts). */
export interface RegexSource {
  readonly source: string;
  readonly column: number;
}

/** The right-hand side of a comparison in a space-delimited or JSON pattern. */
export type Operand =
  | { readonly kind: 'number'; readonly value: number; readonly text: string }
  /** A string; a leading and/or trailing `*` is a wildcard, a `*` inside is a literal asterisk (AWS). */
  | {
      readonly kind: 'string';
      readonly text: string;
      readonly core: string;
      readonly anyPrefix: boolean;
      readonly anySuffix: boolean;
    }
  | ({ readonly kind: 'regex' } & RegexSource);

// ── unstructured terms ────────────────────────────────────────────────────────────────────────────
export type Term =
  | { readonly kind: 'text'; readonly text: string; readonly column: number }
  | ({ readonly kind: 'regex' } & RegexSource);

/** All of `include` appear and none of `exclude` does. */
export interface TermGroup {
  readonly include: readonly Term[];
  readonly exclude: readonly Term[];
}

/** The event matches when any group matches (one group unless the pattern uses `?term`). */
export interface TermsPattern {
  readonly kind: 'terms';
  readonly groups: readonly TermGroup[];
}

// ── space-delimited ───────────────────────────────────────────────────────────────────────────────
export type FieldCondition =
  | { readonly kind: 'and' | 'or'; readonly left: FieldCondition; readonly right: FieldCondition }
  | {
      readonly kind: 'compare';
      readonly name: string;
      readonly op: ComparisonOperator;
      readonly value: Operand;
      readonly column: number;
    }
  /** A bare field name inside a compound condition: always true. */
  | { readonly kind: 'present'; readonly name: string; readonly column: number };

export type DelimitedField =
  | { readonly kind: 'ellipsis'; readonly column: number }
  | {
      readonly kind: 'field';
      /** Undefined for an empty field (`[a, , b]` or a trailing comma): AWS names it by position. */
      readonly name: string | undefined;
      readonly condition: FieldCondition | undefined;
      readonly column: number;
    };

export interface SpaceDelimitedPattern {
  readonly kind: 'space-delimited';
  readonly fields: readonly DelimitedField[];
}

// ── JSON ──────────────────────────────────────────────────────────────────────────────────────────
export type PathSegment =
  | { readonly kind: 'key'; readonly key: string }
  | { readonly kind: 'index'; readonly index: number }
  /** `.*` or `[*]`: any property / any element. */
  | { readonly kind: 'any' };

export interface JsonSelector {
  /** As written, e.g. `$.users[0].email`. */
  readonly text: string;
  readonly path: readonly PathSegment[];
  readonly column: number;
}

export type JsonExpression =
  | { readonly kind: 'and' | 'or'; readonly left: JsonExpression; readonly right: JsonExpression }
  | {
      readonly kind: 'compare';
      readonly selector: JsonSelector;
      readonly op: ComparisonOperator;
      readonly value: Operand;
    }
  /** `IS TRUE`, `IS FALSE`, `IS NULL`. */
  | { readonly kind: 'is'; readonly selector: JsonSelector; readonly value: boolean | null }
  | { readonly kind: 'not-exists'; readonly selector: JsonSelector };

export interface JsonPattern {
  readonly kind: 'json';
  readonly expression: JsonExpression;
}

/** The empty (or all-blank) pattern: every event matches. */
export interface MatchAllPattern {
  readonly kind: 'all';
}

export type FilterPatternAst = MatchAllPattern | TermsPattern | SpaceDelimitedPattern | JsonPattern;

/** What a matched event yields (the `extractedValues` of TestMetricFilter, plus the parsed JSON event). */
export interface FilterMatch {
  readonly eventMessage: string;
  /** Space-delimited patterns: `$name` for named fields, `$<position>` for the others; empty otherwise. */
  readonly extractedValues: Readonly<Record<string, string>>;
  /** The parsed event for JSON patterns (used to resolve `$.field` metric values and dimensions). */
  readonly json?: unknown;
}
