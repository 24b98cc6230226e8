import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { acknowledge } from './acknowledgements.ts';

/**
 * The bucket that receives S3 server access logs (and CloudFront standard logs, which still need ACLs,
 * hence BUCKET_OWNER_PREFERRED). Its own access is not logged: logging a log bucket into itself loops.
 */
export function accessLogsBucket(scope: Construct, id: string, removalPolicy: RemovalPolicy): s3.Bucket {
  const bucket = new s3.Bucket(scope, id, {
    encryption: s3.BucketEncryption.S3_MANAGED,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_PREFERRED,
    lifecycleRules: [{ id: 'expire-logs', expiration: Duration.days(90) }],
    removalPolicy,
  });
  acknowledge(bucket, 'S1', 'This is the access-log bucket itself; logging it into itself would loop.');
  return bucket;
}

export interface PrivateBucketProps {
  /** SSE-KMS with this key; none: SSE-S3 (for content served through CloudFront OAC). */
  readonly encryptionKey?: kms.IKey;
  readonly serverAccessLogsBucket: s3.IBucket;
  readonly serverAccessLogsPrefix: string;
  readonly versioned?: boolean;
  readonly objectLockEnabled?: boolean;
  readonly objectLockDefaultRetention?: s3.ObjectLockRetention;
  readonly lifecycleRules?: s3.LifecycleRule[];
  readonly cors?: s3.CorsRule[];
  readonly removalPolicy: RemovalPolicy;
}

/** Private, TLS-only, encrypted, access-logged: the baseline of every Cairn bucket. */
export function privateBucket(scope: Construct, id: string, props: PrivateBucketProps): s3.Bucket {
  return new s3.Bucket(scope, id, {
    encryption: props.encryptionKey ? s3.BucketEncryption.KMS : s3.BucketEncryption.S3_MANAGED,
    encryptionKey: props.encryptionKey,
    bucketKeyEnabled: props.encryptionKey ? true : undefined,
    blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
    objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
    enforceSSL: true,
    minimumTLSVersion: 1.2,
    serverAccessLogsBucket: props.serverAccessLogsBucket,
    serverAccessLogsPrefix: props.serverAccessLogsPrefix,
    versioned: props.versioned,
    objectLockEnabled: props.objectLockEnabled,
    objectLockDefaultRetention: props.objectLockDefaultRetention,
    lifecycleRules: props.lifecycleRules,
    cors: props.cors,
    removalPolicy: props.removalPolicy,
  });
}
