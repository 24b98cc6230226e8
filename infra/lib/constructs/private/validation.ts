import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/**
 * Props validation as a table of rules (the aws-cdk-lib convention): every rule is checked, every
 * problem is collected, and the construct throws once with the whole list, so a user fixes all of
 * them in one go instead of one per synth.
 */
export interface PropsRule<P> {
  /** True when the props break the rule. */
  readonly fails: (props: P) => boolean;
  readonly message: string | ((props: P) => string);
}

export class InvalidPropsError extends Error {
  override readonly name = 'InvalidPropsError';
  readonly code = 'CAIRN_INFRA_INVALID_PROPS';
  constructor(
    readonly construct: string,
    readonly problems: readonly string[],
  ) {
    super(`${construct}: invalid props:\n  - ${problems.join('\n  - ')}`);
  }
}

export function validateProps<P>(construct: string, props: P, rules: readonly PropsRule<P>[]): void {
  const problems = rules
    .filter((rule) => rule.fails(props))
    .map((rule) => (typeof rule.message === 'function' ? rule.message(props) : rule.message));
  if (problems.length > 0) throw new InvalidPropsError(construct, problems);
}

/** Rules computed from a list (one per item), flattened into the same table. */
export function eachRule<P, T>(
  items: (props: P) => readonly T[],
  make: (item: T, index: number) => { fails: boolean; message: string },
): PropsRule<P> {
  let last: string[] = [];
  return {
    fails: (props) => {
      last = items(props)
        .map(make)
        .filter((r) => r.fails)
        .map((r) => r.message);
      return last.length > 0;
    },
    message: () => last.join('\n  - '),
  };
}

/** Handler entries (relative to the project root) with no file behind them. */
export function missingEntries(projectRoot: string, handlers: object): string[] {
  return Object.values(handlers).filter(
    (e): e is string => typeof e === 'string' && !existsSync(resolve(projectRoot, e)),
  );
}
