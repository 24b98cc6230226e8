import { RemovalPolicy } from 'aws-cdk-lib';
import type { Node } from 'constructs';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidPropsError } from './constructs/private/validation.ts';

/**
 * The context values of `cdk synth|deploy -c key=value` (docs/deploy-aws.md lists them), read once,
 * checked as a table of rules, reported together.
 */
export interface AppContext {
  /** cairn.yaml (relative to the repository root); missing file: every default. */
  readonly configFile: string;
  readonly stackPrefix: string;
  readonly removalPolicy: RemovalPolicy;
  readonly deletionProtection: boolean;
  /** The built web UI to upload; undefined when the directory does not exist. */
  readonly webAssets?: string;
  readonly cognitoDomainPrefix?: string;
  readonly callbackUrls: string[];
  readonly hotDatabaseSecretArn?: string;
  readonly objectLock?: { mode: 'GOVERNANCE' | 'COMPLIANCE'; days: number };
  readonly natGateways: number;
  readonly availabilityZones?: string[];
  /** The Secrets Manager secret (JSON) holding CAIRN_UNLOCK_KEY and the `*Env` values of cairn.yaml. */
  readonly appSecretName: string;
  readonly alarmsFromAllSources: boolean;
  /** The SES identity (domain, address or ARN) e-mail channels send as. */
  readonly sesIdentity?: string;
}

const str = (node: Node, key: string): string | undefined => {
  const v = node.tryGetContext(key);
  return v === undefined || v === null || v === '' ? undefined : String(v);
};
const list = (v: string | undefined) =>
  v
    ? v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    : [];

export function readAppContext(node: Node, projectRoot: string): AppContext {
  const problems: string[] = [];
  const bool = (key: string, dflt: boolean) => {
    const v = str(node, key);
    if (v === undefined) return dflt;
    if (v !== 'true' && v !== 'false') problems.push(`${key}: true or false, not "${v}"`);
    return v === 'true';
  };
  const int = (key: string, dflt: number | undefined, min: number, max: number) => {
    const v = str(node, key);
    if (v === undefined) return dflt;
    const n = Number(v);
    if (!Number.isInteger(n) || n < min || n > max)
      problems.push(`${key}: a whole number from ${min} to ${max}, not "${v}"`);
    return n;
  };

  const removal = str(node, 'removalPolicy') ?? 'retain';
  if (removal !== 'retain' && removal !== 'destroy')
    problems.push(`removalPolicy: retain or destroy, not "${removal}"`);
  const lockMode = str(node, 'objectLockMode') ?? 'GOVERNANCE';
  if (lockMode !== 'GOVERNANCE' && lockMode !== 'COMPLIANCE')
    problems.push(`objectLockMode: GOVERNANCE or COMPLIANCE, not "${lockMode}"`);
  const lockDays = int('objectLockDays', undefined, 1, 36500);
  const secretArn = str(node, 'hotDatabaseSecretArn');
  if (secretArn && !/^arn:aws[\w-]*:secretsmanager:[\w-]+:\d{12}:secret:.+$/.test(secretArn)) {
    problems.push('hotDatabaseSecretArn: a Secrets Manager secret ARN');
  }
  const stackPrefix = str(node, 'stackPrefix') ?? 'Cairn';
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(stackPrefix))
    problems.push(`stackPrefix: letters, digits and -, starting with a letter`);
  const webAssets = str(node, 'webAssets') ?? 'dist/web';
  const azs = list(str(node, 'availabilityZones'));
  const ctx: AppContext = {
    configFile: resolve(projectRoot, str(node, 'config') ?? 'cairn.yaml'),
    stackPrefix,
    removalPolicy: removal === 'destroy' ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    deletionProtection: bool('deletionProtection', true),
    webAssets:
      webAssets !== 'none' && existsSync(resolve(projectRoot, webAssets, 'index.html')) ? webAssets : undefined,
    cognitoDomainPrefix: str(node, 'cognitoDomainPrefix'),
    callbackUrls: list(str(node, 'callbackUrls')),
    hotDatabaseSecretArn: secretArn,
    objectLock: lockDays ? { mode: lockMode as 'GOVERNANCE' | 'COMPLIANCE', days: lockDays } : undefined,
    natGateways: int('natGateways', 1, 0, 2)!,
    availabilityZones: azs.length > 0 ? azs : undefined,
    appSecretName: str(node, 'appSecretName') ?? 'cairn/app',
    alarmsFromAllSources: bool('forwardAllAlarms', false),
    sesIdentity: str(node, 'sesIdentity'),
  };
  if (!/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(ctx.appSecretName))
    problems.push('appSecretName: letters, digits and /_+=.@-');
  if (ctx.availabilityZones && ctx.availabilityZones.length < 2)
    problems.push('availabilityZones: at least two, comma-separated');
  if (ctx.callbackUrls.some((u) => !/^https:\/\/|^http:\/\/localhost(:\d+)?\//.test(u))) {
    problems.push('callbackUrls: https:// URLs (http:// only for localhost), comma-separated');
  }
  if (problems.length > 0) throw new InvalidPropsError('cdk context', problems);
  return ctx;
}
