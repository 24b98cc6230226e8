/**
 * The silence form's matcher: simple `key = value` pairs, or an SNS filter policy written as JSON. Pairs
 * become `{ "key": ["value", …] }`: values of one key are alternatives (OR), keys must all match (AND).
 */
export interface MatchPair {
  key: string;
  value: string;
}

/** The attributes every event has (labels such as team or env come on top). */
export const MATCH_KEYS = ['source', 'severity', 'status', 'service', 'title', 'fingerprint'];

export function pairsToPolicy(pairs: MatchPair[]): Record<string, string[]> {
  const policy: Record<string, string[]> = {};
  for (const { key, value } of pairs) {
    const k = key.trim();
    if (!k) continue;
    const values = (policy[k] ??= []);
    if (!values.includes(value)) values.push(value);
  }
  return policy;
}

/** The pairs a policy is made of, or null when it uses more than exact string values. */
export function policyToPairs(policy: unknown): MatchPair[] | null {
  if (typeof policy !== 'object' || policy === null || Array.isArray(policy)) return null;
  const pairs: MatchPair[] = [];
  for (const [key, values] of Object.entries(policy)) {
    if (!Array.isArray(values) || !values.every((v) => typeof v === 'string')) return null;
    for (const value of values) pairs.push({ key, value });
  }
  return pairs;
}

/** Parses the JSON textarea: the policy, or a message saying what is wrong. */
export function parsePolicy(text: string): { policy: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { error: `Not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { error: 'The matcher must be a JSON object, such as { "service": ["payments"] }.' };
  }
  if (Object.keys(value).length === 0) {
    return { error: 'An empty matcher would silence every event: add at least one condition.' };
  }
  return { policy: value as Record<string, unknown> };
}

export const formatPolicy = (policy: unknown) => JSON.stringify(policy, null, 2);
