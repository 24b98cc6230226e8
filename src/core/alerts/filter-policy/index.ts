/** Amazon SNS subscription filter policies: validation and matching, for attributes or JSON bodies. */
export { compileFilterPolicy, matchesFilterPolicy, validateFilterPolicy, type CompiledFilterPolicy } from './match.ts';
export { MAX_COMBINATIONS, MAX_KEYS, MAX_POLICY_BYTES } from './compile.ts';
export { INVALID_FILTER_POLICY } from './errors.ts';
export type {
  FilterInput,
  FilterPolicy,
  FilterPolicyScope,
  MessageAttributeType,
  MessageAttributeValue,
  MessageAttributes,
  Scalar,
} from './types.ts';
