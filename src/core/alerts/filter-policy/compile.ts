/**
 * Checks a filter policy against the SNS constraints and compiles it to an OR of AND-branches:
 * - the policy is a JSON object of at most 256 KB; match lists are non-empty arrays;
 * - MessageAttributes scope is flat; MessageBody scope may nest objects;
 * - `"$or": [{...}, {...}]` (two or more objects, none using an operator name as a key) is an OR
 *   between alternatives; otherwise `$or` is an ordinary property name, as SNS treats it;
 * - complexity (the sum over OR-alternatives of the product, over keys, of values × nesting level)
 *   must not exceed 150;
 * - at most 5 keys: all keys in attribute scope, top-level keys in body scope (counted per
 *   OR-alternative).
 */
import { policyError } from './errors.ts';
import { compileMatchValue, OPERATORS, type ValueMatcher } from './operators.ts';
import type { FilterPolicy, FilterPolicyScope } from './types.ts';

export const MAX_COMBINATIONS = 150;
export const MAX_KEYS = 5;
export const MAX_POLICY_BYTES = 256 * 1024;
/** Not an SNS number: a guard so hostile nesting cannot exhaust the stack. */
export const MAX_NESTING = 64;

export interface Leaf {
  /** Property path: one attribute name, or the keys down through the message body. */
  readonly path: readonly string[];
  /** OR: the leaf holds when any of these holds. */
  readonly matchers: readonly ValueMatcher[];
}

export interface CompiledPolicy {
  readonly scope: FilterPolicyScope;
  readonly policy: FilterPolicy;
  /** OR of branches; each branch is an AND of leaves. An empty policy is one empty branch. */
  readonly branches: readonly (readonly Leaf[])[];
}

interface Node {
  leaves: Leaf[];
  /** AND of groups; each group is an OR of alternatives. */
  ors: Node[][];
}

type Path = readonly (string | number)[];

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

function checkNesting(value: unknown, depth: number): void {
  if (typeof value !== 'object' || value === null) return;
  if (depth > MAX_NESTING) throw policyError([], `nesting deeper than ${MAX_NESTING} levels is not supported`);
  for (const child of Object.values(value)) checkNesting(child, depth + 1);
}

function readPolicy(input: unknown): FilterPolicy {
  let value = input;
  if (typeof input === 'string') {
    if (utf8Length(input) > MAX_POLICY_BYTES) throw policyError([], `a filter policy must be at most 256 KB`);
    try {
      value = JSON.parse(input);
    } catch {
      throw policyError([], 'is not valid JSON');
    }
  }
  if (!isPlainObject(value)) throw policyError([], 'a filter policy must be a JSON object');
  checkNesting(value, 0);
  let text: string;
  try {
    text = JSON.stringify(value);
  } catch {
    throw policyError([], 'a filter policy must be plain JSON');
  }
  if (utf8Length(text) > MAX_POLICY_BYTES) throw policyError([], `a filter policy must be at most 256 KB`);
  return value;
}

/** `$or` means OR only in this shape; anything else is a property that happens to be called `$or`. */
const isOrList = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) &&
  value.length >= 2 &&
  value.every((alt) => isPlainObject(alt) && Object.keys(alt).every((k) => !OPERATORS.has(k)));

function walk(obj: Record<string, unknown>, at: Path, keys: readonly string[], scope: FilterPolicyScope): Node {
  const node: Node = { leaves: [], ors: [] };
  for (const [key, value] of Object.entries(obj)) {
    const where = [...at, key];
    if (key === '$or' && isOrList(value)) {
      node.ors.push(
        value.map((alternative, i) => {
          if (Object.keys(alternative).length === 0) {
            throw policyError([...where, i], 'each $or alternative must name at least one property');
          }
          return walk(alternative, [...where, i], keys, scope);
        }),
      );
    } else if (Array.isArray(value)) {
      if (value.length === 0) throw policyError(where, 'Empty arrays are not allowed');
      node.leaves.push({
        path: [...keys, key],
        matchers: value.map((entry, i) => compileMatchValue(entry, [...where, i])),
      });
    } else if (isPlainObject(value)) {
      if (scope === 'MessageAttributes') {
        throw policyError(where, 'Filter policy scope MessageAttributes does not support nested filter policy');
      }
      if (Object.keys(value).length === 0) throw policyError(where, 'a nested object must name at least one property');
      const child = walk(value, where, [...keys, key], scope);
      node.leaves.push(...child.leaves);
      node.ors.push(...child.ors);
    } else {
      throw policyError(where, `"${key}" must be an object or an array`);
    }
  }
  return node;
}

/** Values × nesting level, multiplied across keys; OR-alternatives add up. */
function combinations(node: Node): number {
  let total = 1;
  for (const leaf of node.leaves) total *= leaf.matchers.length * leaf.path.length;
  for (const group of node.ors) total *= group.reduce((sum, alt) => sum + combinations(alt), 0);
  return total;
}

/** Distributes the ORs: at most `combinations` branches, so at most 150. */
function expand(node: Node): Leaf[][] {
  let branches: Leaf[][] = [node.leaves];
  for (const group of node.ors) {
    const alternatives = group.flatMap(expand);
    branches = branches.flatMap((branch) => alternatives.map((alt) => [...branch, ...alt]));
  }
  return branches;
}

export function compilePolicy(input: unknown, scope: FilterPolicyScope): CompiledPolicy {
  if (scope !== 'MessageAttributes' && scope !== 'MessageBody') {
    throw policyError([], `the filter policy scope must be MessageAttributes or MessageBody, not ${String(scope)}`);
  }
  const policy = readPolicy(input);
  const root = walk(policy, [], [], scope);
  const total = combinations(root);
  if (total > MAX_COMBINATIONS) {
    throw policyError(
      [],
      `Filter policy is too complex: ${total} combinations of values, the limit is ${MAX_COMBINATIONS}`,
    );
  }
  const branches = expand(root);
  for (const branch of branches) {
    const counted = new Set(branch.map((leaf) => (scope === 'MessageBody' ? leaf.path[0] : leaf.path.join('\u0000'))));
    if (counted.size > MAX_KEYS) {
      const what = scope === 'MessageBody' ? 'top-level keys' : 'keys';
      throw policyError([], `Filter policy can not have more than ${MAX_KEYS} ${what} (found ${counted.size})`);
    }
  }
  return { scope, policy, branches };
}
