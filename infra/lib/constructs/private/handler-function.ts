import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { LAMBDA_WILDCARDS, allowWildcards } from './acknowledgements.ts';

/** Where handlers are bundled from, shared by every function of a construct. */
export interface HandlerBundling {
  /** The directory holding package-lock.json and node_modules (the repository root). */
  readonly projectRoot: string;
  /** A cairn.yaml copied next to each bundle as /var/task/cairn.yaml (CAIRN_CONFIG); none: defaults. */
  readonly configFile?: string;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
}

export interface HandlerFunctionProps extends HandlerBundling {
  /** The TypeScript entry, e.g. src/runtime/lambda/http.ts (absolute, or relative to projectRoot). */
  readonly entry: string;
  readonly description: string;
  readonly environment?: Record<string, string>;
  /** @default 30 seconds */
  readonly timeout?: Duration;
  /** @default 512 */
  readonly memorySize?: number;
  readonly vpc?: ec2.IVpc;
  readonly vpcSubnets?: ec2.SubnetSelection;
  readonly securityGroups?: ec2.ISecurityGroup[];
}

const REQUIRE_SHIM =
  "import { createRequire as __cairnRequire } from 'node:module'; const require = __cairnRequire(import.meta.url);";

/**
 * A Node.js 24 (arm64) function bundled by the local esbuild (no Docker) as ESM, with its own log
 * group and a role that holds only what this function needs: writing to that log group, X-Ray, and
 * (in a VPC) the network-interface actions — no AWS managed policy.
 */
export class HandlerFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HandlerFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.description,
    });
    this.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    if (props.vpc) {
      this.role.addToPolicy(
        new iam.PolicyStatement({
          actions: [
            'ec2:CreateNetworkInterface',
            'ec2:DescribeNetworkInterfaces',
            'ec2:DescribeSubnets',
            'ec2:DeleteNetworkInterface',
            'ec2:AssignPrivateIpAddresses',
            'ec2:UnassignPrivateIpAddresses',
          ],
          resources: ['*'],
        }),
      );
    }
    const configFile = props.configFile ? resolve(props.projectRoot, props.configFile) : undefined;
    this.function = new NodejsFunction(this, 'Function', {
      entry: resolve(props.projectRoot, props.entry),
      handler: 'handler',
      description: props.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.seconds(30),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      tracing: lambda.Tracing.ACTIVE,
      projectRoot: props.projectRoot,
      depsLockFilePath: resolve(props.projectRoot, 'package-lock.json'),
      vpc: props.vpc,
      vpcSubnets: props.vpcSubnets,
      securityGroups: props.securityGroups,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        // Relative to LAMBDA_TASK_ROOT, where the bundle (and this file beside it) is unpacked.
        ...(configFile ? { CAIRN_CONFIG: 'cairn.yaml' } : {}),
        ...props.environment,
      },
      bundling: {
        forceDockerBundling: false,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner: REQUIRE_SHIM,
        minify: true,
        sourceMap: true,
        // The Node.js 24 runtime ships AWS SDK v3; bundling it would only grow the package.
        externalModules: ['@aws-sdk/*'],
        commandHooks: {
          beforeBundling: () => [],
          beforeInstall: () => [],
          afterBundling: (_input: string, output: string) =>
            configFile ? [`cp ${shellQuote(configFile)} ${shellQuote(`${output}/cairn.yaml`)}`] : [],
        },
      },
    });
    allowWildcards(this, LAMBDA_WILDCARDS);
  }
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", "'\\''")}'`;
}
