/**
 * Evaluates a compiled filter policy against a message. Attributes are read as JSON values first,
 * then matched exactly as a body would be: String → string, Number → number, String.Array → its
 * elements (any element may match), Binary → ignored (SNS ignores Binary attributes). Matching
 * never throws: malformed input simply matches less.
 */
import { compilePolicy, type CompiledPolicy, type Leaf } from './compile.ts';
import type { FilterInput, FilterPolicy, FilterPolicyScope, Scalar } from './types.ts';

export interface CompiledFilterPolicy {
  readonly scope: FilterPolicyScope;
  readonly policy: FilterPolicy;
  matches(input: FilterInput): boolean;
}

interface Resolved {
  readonly values: readonly Scalar[];
  /** `exists: true` wants a non-null, non-empty value at a leaf. */
  readonly exists: boolean;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'boolean' || v === null || (typeof v === 'number' && Number.isFinite(v));

/** Nested arrays are flattened (iteratively, and cycle-safe); objects are kept for the caller. */
function flatten(items: readonly unknown[]): unknown[] {
  const out: unknown[] = [];
  const seen = new Set<unknown>();
  const stack = [...items].reverse();
  while (stack.length > 0) {
    const item = stack.pop();
    if (!Array.isArray(item)) out.push(item);
    else if (!seen.has(item)) {
      seen.add(item);
      for (let i = item.length - 1; i >= 0; i--) stack.push(item[i]);
    }
  }
  return out;
}

const resolved = (values: Scalar[]): Resolved => ({ values, exists: values.some((v) => v !== null && v !== '') });
const ABSENT: Resolved = { values: [], exists: false };

function attributeValue(attribute: unknown): Resolved {
  if (!isPlainObject(attribute)) return ABSENT;
  const type = typeof attribute.Type === 'string' ? attribute.Type : 'String';
  const raw = attribute.Value;
  if (type.startsWith('Binary')) return ABSENT;
  if (type.endsWith('.Array')) {
    let parsed: unknown = raw;
    if (typeof raw === 'string') {
      try {
        parsed = JSON.parse(raw);
      } catch {
        parsed = undefined;
      }
    }
    return resolved(Array.isArray(parsed) ? flatten(parsed).filter(isScalar) : []);
  }
  if (type.startsWith('Number')) {
    const n = typeof raw === 'number' ? raw : typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : NaN;
    if (Number.isFinite(n)) return resolved([n]);
  }
  if (typeof raw === 'string') return resolved([raw]);
  return typeof raw === 'number' || typeof raw === 'boolean' ? resolved([String(raw)]) : ABSENT;
}

function bodyValue(body: unknown, path: readonly string[]): Resolved {
  let nodes: unknown[] = [body];
  for (const key of path) {
    const next: unknown[] = [];
    for (const node of flatten(nodes)) if (isPlainObject(node) && Object.hasOwn(node, key)) next.push(node[key]);
    nodes = next;
  }
  return resolved(flatten(nodes).filter(isScalar));
}

function leafHolds(leaf: Leaf, value: Resolved, anyProperty: boolean): boolean {
  return leaf.matchers.some((m) => {
    // "exists": false only matches when the message carries at least one property at all.
    if (m.kind === 'exists') return m.exists ? value.exists : !value.exists && anyProperty;
    return value.values.some((v) => m.test(v));
  });
}

function evaluate(compiled: CompiledPolicy, input: FilterInput): boolean {
  const source: Record<string, unknown> = isPlainObject(input) ? input : {};
  const attributes = isPlainObject(source.messageAttributes) ? source.messageAttributes : {};
  const body = source.messageBody;
  const byAttributes = compiled.scope === 'MessageAttributes';
  const anyProperty = byAttributes
    ? Object.keys(attributes).length > 0
    : isPlainObject(body) && Object.keys(body).length > 0;
  const cache = new Map<string, Resolved>();
  const lookup = (path: readonly string[]): Resolved => {
    const key = path.join('\u0000');
    let value = cache.get(key);
    if (!value) {
      value = byAttributes
        ? Object.hasOwn(attributes, key)
          ? attributeValue(attributes[key])
          : ABSENT
        : bodyValue(body, path);
      cache.set(key, value);
    }
    return value;
  };
  return compiled.branches.some((branch) => branch.every((leaf) => leafHolds(leaf, lookup(leaf.path), anyProperty)));
}

/**
 * Checks the policy once (throwing CAIRN_INVALID_FILTER_POLICY) and returns a matcher to reuse for
 * every message. The scope decides which part of the input is read.
 */
export function compileFilterPolicy(policy: unknown, scope: FilterPolicyScope): CompiledFilterPolicy {
  const compiled = compilePolicy(policy, scope);
  return {
    scope: compiled.scope,
    policy: compiled.policy,
    matches: (input) => evaluate(compiled, input),
  };
}

/** Throws CAIRN_INVALID_FILTER_POLICY with the path and reason, or returns the policy as an object. */
export function validateFilterPolicy(policy: unknown, scope: FilterPolicyScope): FilterPolicy {
  return compilePolicy(policy, scope).policy;
}

/**
 * Whether a message passes a subscription's filter policy. `{ messageAttributes }` is matched in
 * MessageAttributes scope, `{ messageBody }` (the parsed JSON body) in MessageBody scope.
 */
export function matchesFilterPolicy(policy: unknown, input: FilterInput): boolean {
  const scope: FilterPolicyScope = isPlainObject(input) && 'messageBody' in input ? 'MessageBody' : 'MessageAttributes';
  return compileFilterPolicy(policy, scope).matches(input);
}
