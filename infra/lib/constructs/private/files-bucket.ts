import { Duration, type RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { privateBucket } from './buckets.ts';

export interface FilesBucketProps {
  readonly encryptionKey: kms.IKey;
  readonly logsBucket: s3.IBucket;
  /** The web UI's origins, the only ones a browser may upload from or download to. */
  readonly origins: string[];
  readonly versioned: boolean;
  readonly pendingUploadPrefix: string;
  readonly pendingUploadExpiry: Duration;
  readonly noncurrentVersionExpiration: Duration;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The shared files: SSE-KMS, versioned (an overwrite or a delete can be undone for a week, yet a
 * deleted file's presigned URLs stop working at once), incomplete multipart uploads aborted after a
 * day, pending uploads expired, and CORS for the browser's presigned PUTs and GETs.
 */
export function filesBucket(scope: Construct, id: string, props: FilesBucketProps): s3.Bucket {
  return privateBucket(scope, id, {
    encryptionKey: props.encryptionKey,
    serverAccessLogsBucket: props.logsBucket,
    serverAccessLogsPrefix: 'files-bucket/',
    versioned: props.versioned,
    removalPolicy: props.removalPolicy,
    lifecycleRules: [
      { id: 'abort-incomplete-multipart-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      { id: 'expire-pending-uploads', prefix: props.pendingUploadPrefix, expiration: props.pendingUploadExpiry },
      ...(props.versioned
        ? [
            { id: 'expire-noncurrent-versions', noncurrentVersionExpiration: props.noncurrentVersionExpiration },
            { id: 'remove-expired-delete-markers', expiredObjectDeleteMarker: true },
          ]
        : []),
    ],
    cors: [
      {
        allowedOrigins: props.origins,
        allowedMethods: [s3.HttpMethods.PUT, s3.HttpMethods.GET, s3.HttpMethods.HEAD],
        allowedHeaders: ['content-type', 'content-length', 'content-md5', 'x-amz-*'],
        exposedHeaders: ['ETag'],
        maxAge: 3600,
      },
    ],
  });
}
