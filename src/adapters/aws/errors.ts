/**
 * The AWS adapters' one error module: SDK v3 errors are translated here into CairnErrors with stable
 * codes (docs/errors.md, "AWS"), so nothing above the adapters ever sees an SDK exception. The SDK's
 * own exception (name, request id) is kept as the `cause` for the logs; messages never carry keys,
 * URLs or secrets.
 */
import { CairnError } from '../../core/errors.ts';

export const AWS_THROTTLED = 'CAIRN_AWS_THROTTLED';
export const AWS_UNAVAILABLE = 'CAIRN_AWS_UNAVAILABLE';
export const AWS_ACCESS_DENIED = 'CAIRN_AWS_ACCESS_DENIED';
export const AWS_MISCONFIGURED = 'CAIRN_AWS_MISCONFIGURED';

/** What the SDK puts on every service exception. */
export interface SdkError {
  name: string;
  message: string;
  $fault?: 'client' | 'server';
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

export const isSdkError = (e: unknown): e is SdkError =>
  e instanceof Error && typeof (e as { $metadata?: unknown }).$metadata === 'object';

/** The SDK error's name (e.g. `NoSuchKey`, `ConditionalCheckFailedException`), or undefined for anything else. */
export const sdkErrorName = (e: unknown): string | undefined => (isSdkError(e) ? e.name : undefined);

export const httpStatusOf = (e: unknown): number | undefined =>
  isSdkError(e) ? e.$metadata?.httpStatusCode : undefined;

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'LimitExceededException',
  'KMSThrottlingException',
]);

const DENIED = new Set(['AccessDenied', 'AccessDeniedException', 'UnauthorizedOperation', 'InvalidAccessKeyId']);

const MISCONFIGURED = new Set([
  'NoSuchBucket',
  'ResourceNotFoundException',
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NotFoundException',
  'NotFound',
  'DisabledException',
  'KMSInvalidStateException',
]);

/**
 * Translates anything an SDK call threw into a CairnError. `what` names the operation for the message
 * (e.g. `S3 PutObject`). CairnErrors pass through unchanged.
 */
export function translateAwsError(err: unknown, what: string): CairnError {
  if (err instanceof CairnError) return err;
  const name = sdkErrorName(err) ?? (err instanceof Error ? err.name : 'Error');
  const status = httpStatusOf(err);
  const cause = err;
  if (THROTTLING.has(name) || status === 429 || status === 503) {
    return new CairnError(AWS_THROTTLED, 'unavailable', `${what} was throttled by AWS; retry shortly.`, {
      cause,
      details: { retryAfterSeconds: 1 },
    });
  }
  if (DENIED.has(name) || status === 403) {
    return new CairnError(
      AWS_ACCESS_DENIED,
      'internal',
      `${what} was refused by AWS (${name}): the function's role lacks a permission.`,
      { cause },
    );
  }
  if (MISCONFIGURED.has(name)) {
    return new CairnError(
      AWS_MISCONFIGURED,
      'internal',
      `${what} failed (${name}): check the deployment's resources.`,
      {
        cause,
      },
    );
  }
  return new CairnError(AWS_UNAVAILABLE, 'unavailable', `${what} failed (${name}); retry shortly.`, { cause });
}

/** Runs one SDK call and translates what it throws. */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw translateAwsError(err, what);
  }
}
