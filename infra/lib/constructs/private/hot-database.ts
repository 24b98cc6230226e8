import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledgements.ts';

export interface HotDatabaseOptions {
  /** @default t4g.micro */
  readonly instanceType?: ec2.InstanceType;
  /** @default 20 */
  readonly allocatedStorageGiB?: number;
  /** @default false (one instance; a standby doubles the price) */
  readonly multiAz?: boolean;
  /** @default PostgresEngineVersion.VER_17 */
  readonly version?: rds.PostgresEngineVersion;
  /** @default 7 days */
  readonly backupRetention?: Duration;
  /** Rotate the master password this often; the workers re-read the secret. @default 30 days */
  readonly rotateEvery?: Duration;
}

export interface HotDatabaseProps extends HotDatabaseOptions {
  readonly vpc: ec2.IVpc;
  /** Where the instance lives (isolated subnets of the VPC made here). */
  readonly subnets: ec2.SubnetSelection;
  /** Where the rotation function runs: it must reach Secrets Manager (NAT or endpoint) and the database. */
  readonly rotationSubnets: ec2.SubnetSelection;
  readonly encryptionKey: kms.IKey;
  readonly deletionProtection: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/** The hot target: Postgres in the VPC's isolated subnets, encrypted, with its credentials in Secrets Manager. */
export class HotDatabase extends Construct {
  public readonly instance: rds.DatabaseInstance;
  public readonly secret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: HotDatabaseProps) {
    super(scope, id);
    this.instance = new rds.DatabaseInstance(this, 'Instance', {
      engine: rds.DatabaseInstanceEngine.postgres({ version: props.version ?? rds.PostgresEngineVersion.VER_17 }),
      instanceType: props.instanceType ?? ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.MICRO),
      vpc: props.vpc,
      vpcSubnets: props.subnets,
      credentials: rds.Credentials.fromGeneratedSecret('cairn'),
      databaseName: 'cairn',
      storageEncrypted: true,
      storageEncryptionKey: props.encryptionKey,
      storageType: rds.StorageType.GP3,
      allocatedStorage: props.allocatedStorageGiB ?? 20,
      maxAllocatedStorage: Math.max(100, (props.allocatedStorageGiB ?? 20) * 2),
      multiAz: props.multiAz ?? false,
      backupRetention: props.backupRetention ?? Duration.days(7),
      deletionProtection: props.deletionProtection,
      removalPolicy: props.removalPolicy === RemovalPolicy.DESTROY ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT,
      iamAuthentication: true,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      cloudwatchLogsExports: ['postgresql'],
    });
    this.secret = this.instance.secret!;
    this.instance.addRotationSingleUser({
      automaticallyAfter: props.rotateEvery ?? Duration.days(30),
      vpcSubnets: props.rotationSubnets,
    });
    acknowledge(
      this.instance,
      'RDS11',
      "The hot target listens on PostgreSQL's port inside isolated subnets, reachable only from the backup workers' security group; a non-default port adds no protection there.",
    );
    if (!(props.multiAz ?? false)) {
      acknowledge(
        this.instance,
        'RDS3',
        'One instance by default: the hot copy is itself a replica of a legacy system, restorable from cold storage; set multiAz for a standby.',
      );
    }
    if (!props.deletionProtection) {
      acknowledge(
        this.instance,
        'RDS10',
        'Deletion protection was turned off by the deletionProtection prop of this deployment.',
      );
    }
  }
}

/** The VPC the backup workers and the hot database live in, with flow logs into the access-log bucket. */
export function backupVpc(scope: Construct, id: string, natGateways: number, flowLogsBucket: s3.IBucket): ec2.Vpc {
  const vpc = new ec2.Vpc(scope, id, {
    maxAzs: 2,
    natGateways,
    subnetConfiguration: [
      { name: 'public', subnetType: ec2.SubnetType.PUBLIC, cidrMask: 24 },
      // Workers reach the legacy systems (sources) through the NAT gateway; without one, only
      // through what the VPC is connected to (peering, VPN), and AWS APIs through endpoints.
      {
        name: 'workers',
        subnetType: natGateways > 0 ? ec2.SubnetType.PRIVATE_WITH_EGRESS : ec2.SubnetType.PRIVATE_ISOLATED,
        cidrMask: 24,
      },
      { name: 'database', subnetType: ec2.SubnetType.PRIVATE_ISOLATED, cidrMask: 24 },
    ],
    gatewayEndpoints: {
      S3: { service: ec2.GatewayVpcEndpointAwsService.S3 },
      DynamoDB: { service: ec2.GatewayVpcEndpointAwsService.DYNAMODB },
    },
    flowLogs: {
      toS3: {
        destination: ec2.FlowLogDestination.toS3(flowLogsBucket, 'vpc-flow-logs/'),
        trafficType: ec2.FlowLogTrafficType.REJECT,
      },
    },
  });
  if (natGateways === 0) {
    for (const [name, service] of [
      ['SecretsManager', ec2.InterfaceVpcEndpointAwsService.SECRETS_MANAGER],
      ['Sns', ec2.InterfaceVpcEndpointAwsService.SNS],
      ['Sqs', ec2.InterfaceVpcEndpointAwsService.SQS],
    ] as const) {
      vpc.addInterfaceEndpoint(name, { service, subnets: { subnetGroupName: 'workers' } });
    }
  }
  return vpc;
}
