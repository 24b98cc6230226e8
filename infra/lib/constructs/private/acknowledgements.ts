import { Aspects, CfnResource, Stack, Validations, type IAspect } from 'aws-cdk-lib';
import { CfnManagedPolicy, CfnPolicy, CfnRole } from 'aws-cdk-lib/aws-iam';
import type { IConstruct } from 'constructs';
import { flattenCfnReference } from 'cdk-nag/lib/utils/flatten-cfn-reference.js';

/** A cdk-nag rule acknowledged on one construct, with the reason a reviewer reads. */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: id.startsWith('AwsSolutions-') ? id : `AwsSolutions-${id}`, reason });
}

/**
 * One kind of wildcard an IAM policy under a scope may hold, and why. cdk-nag v3 reports every
 * wildcard as its own finding (`AwsSolutions-IAM5[Resource::<Table.Arn>/index/*]`), whose text names
 * logical ids; matching them by pattern keeps the acknowledgements exact without hard-coding ids.
 * A wildcard that matches no pattern stays a finding, so a new `s3:*` never slips through.
 */
export interface AllowedWildcard {
  /** Matched against the finding after `Action::` or `Resource::`. */
  readonly kind: 'Action' | 'Resource';
  readonly pattern: RegExp;
  readonly reason: string;
}

class WildcardAcknowledger implements IAspect {
  constructor(private readonly allowed: readonly AllowedWildcard[]) {}

  visit(node: IConstruct): void {
    if (!(node instanceof CfnResource)) return;
    const stack = Stack.of(node);
    const documents: unknown[] = [];
    if (node instanceof CfnPolicy || node instanceof CfnManagedPolicy)
      documents.push(stack.resolve(node.policyDocument));
    else if (node instanceof CfnRole) {
      const policies = (stack.resolve(node.policies) ?? []) as { policyDocument: unknown }[];
      for (const p of policies) documents.push(stack.resolve(stack.resolve(p).policyDocument));
    } else return;
    for (const finding of documents.flatMap(wildcardFindings)) {
      const [kind, value] = [finding.slice(0, finding.indexOf('::')), finding.slice(finding.indexOf('::') + 2)];
      const match = this.allowed.find((a) => a.kind === kind && a.pattern.test(value));
      if (match) acknowledge(node, `IAM5[${finding}]`, match.reason);
    }
  }
}

/** Acknowledges, on every IAM policy under `scope`, the wildcard findings that match `allowed`. */
export function allowWildcards(scope: IConstruct, allowed: readonly AllowedWildcard[]): void {
  Aspects.of(scope).add(new WildcardAcknowledger(allowed));
}

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: unknown;
}

/** The same findings cdk-nag's IAM5 rule computes: wildcard actions and resources of Allow statements. */
export function wildcardFindings(document: unknown): string[] {
  const out = new Set<string>();
  const statements = ((document as { Statement?: Statement[] } | undefined)?.Statement ?? []) as Statement[];
  for (const s of statements) {
    if (s.Effect !== 'Allow') continue;
    for (const a of [s.Action ?? []].flat()) if (a.includes('*')) out.add(`Action::${a}`);
    for (const r of [s.Resource ?? []].flat()) {
      const flat = flattenCfnReference(r);
      if (flat.includes('*')) out.add(`Resource::${flat}`);
    }
  }
  return [...out];
}

/** Wildcards every Cairn Lambda function needs, with their reasons. */
export const LAMBDA_WILDCARDS: readonly AllowedWildcard[] = [
  {
    kind: 'Resource',
    pattern: /^\*$/,
    reason:
      'Only X-Ray (PutTraceSegments, PutTelemetryRecords) and, for functions in a VPC, EC2 network-interface actions use Resource "*": neither service supports resource-level permissions for them (asserted by the IAM tests).',
  },
];

/** Wildcards of a grant on a DynamoDB table's indexes. */
export const TABLE_INDEX_WILDCARD: AllowedWildcard = {
  kind: 'Resource',
  // A table of this stack (<Table.Arn>) or of another stack, imported (Stack:ExportsOutputFnGetAtt…Arn…).
  pattern: /^(<[A-Za-z0-9]+\.Arn>|[A-Za-z0-9-]+:ExportsOutputFnGetAtt[A-Za-z0-9]+)\/index\/\*$/,
  reason: 'Query on the table\'s global secondary indexes: the grant is scoped to that one table\'s "index/*".',
};
