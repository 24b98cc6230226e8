import { invalid, type CairnError } from '../../errors.ts';

/** Every rejected filter policy fails with this one searchable code (docs/errors.md). */
export const INVALID_FILTER_POLICY = 'CAIRN_INVALID_FILTER_POLICY';

/** Renders a location in the policy as a JSONPath: $.price_usd[0].numeric */
export function jsonPath(segments: readonly (string | number)[]): string {
  return segments.reduce<string>((path, s) => {
    if (typeof s === 'number') return `${path}[${s}]`;
    return /^[A-Za-z_$][\w$-]*$/.test(s) ? `${path}.${s}` : `${path}[${JSON.stringify(s)}]`;
  }, '$');
}

export function policyError(segments: readonly (string | number)[], reason: string): CairnError {
  const path = jsonPath(segments);
  return invalid(INVALID_FILTER_POLICY, `filter policy ${path}: ${reason}`, { path, reason });
}
