import { App, Stack, Validations } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: handler entries and the lock file are resolved from it. */
export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * A stand-in handler for construct tests only (src/runtime/lambda/ is another engineer's; the real app
 * never uses this file).
 */
export const PLACEHOLDER = 'infra/test/fixtures/handler.ts';
export const FIXTURE_CONFIG = 'infra/test/fixtures/cairn.yaml';

/**
 * A stack to put one construct in. CloudFormation's own template validation (slow: ~10 s per app) is
 * left to `npm run synth`; cdk-nag runs here through validateScope.
 */
export function testStack(): { app: App; stack: Stack } {
  const app = new App({ builtinCloudFormationValidation: false });
  const stack = new Stack(app, 'Test', { env: { account: '123456789012', region: 'eu-west-1' } });
  return { app, stack };
}

export function synth(stack: Stack): Template {
  return Template.fromStack(stack);
}

/** Unacknowledged AwsSolutions findings, as `rule at construct path`. */
export function nagFindings(scope: IConstruct): string[] {
  const report = new AwsSolutionsChecks().validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));
}

export interface Acknowledgement {
  path: string;
  id: string;
  reason: string;
}

/** Every cdk-nag acknowledgement recorded under scope, with its reason. */
export function acknowledgements(scope: IConstruct): Acknowledgement[] {
  return scope.node.findAll().flatMap((c) =>
    c.node.metadata
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>)
          .filter(([id]) => id.includes('AwsSolutions-'))
          .map(([id, reason]) => ({ path: c.node.path, id: id.replace(/^Annotation::/i, ''), reason })),
      ),
  );
}

export interface Statement {
  Effect: string;
  Action: string | string[];
  Resource: unknown;
}

/** Every Allow statement of every IAM policy and role in the template. */
export function allowStatements(template: Template): Statement[] {
  const out: Statement[] = [];
  type Doc = { Statement: Statement[] };
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Record<string, unknown> }
  >;
  for (const r of Object.values(resources)) {
    const docs: Doc[] =
      r.Type === 'AWS::IAM::Policy' || r.Type === 'AWS::IAM::ManagedPolicy'
        ? [r.Properties.PolicyDocument as Doc]
        : r.Type === 'AWS::IAM::Role'
          ? ((r.Properties.Policies ?? []) as { PolicyDocument: Doc }[]).map((p) => p.PolicyDocument)
          : [];
    for (const d of docs) for (const s of d.Statement) if (s.Effect === 'Allow') out.push(s);
  }
  return out;
}

export const actionsOf = (s: Statement) => [s.Action].flat();
export const resourcesOf = (s: Statement) => [s.Resource].flat();

/** Service-wide or total wildcards (`*`, `s3:*`): never acceptable on data. */
export const isServiceWildcard = (action: string) => action === '*' || /^[a-z0-9-]+:\*$/.test(action);

/** Actions that AWS does not let a policy scope to a resource. */
export const RESOURCELESS_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'ec2:CreateNetworkInterface',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribeSubnets',
  'ec2:DeleteNetworkInterface',
  'ec2:AssignPrivateIpAddresses',
  'ec2:UnassignPrivateIpAddresses',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'cloudfront:GetInvalidation',
  'cloudfront:CreateInvalidation',
]);

/** The logical id of the only resource of a type whose id starts with a prefix. */
export function logicalId(template: Template, type: string, prefix: string): string {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ') || 'none'}`);
  return ids[0]!;
}
