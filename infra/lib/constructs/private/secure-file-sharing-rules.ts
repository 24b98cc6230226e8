import { Token, type Duration } from 'aws-cdk-lib';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { SecureFileSharingProps } from '../secure-file-sharing.ts';
import { missingEntries, type PropsRule } from './validation.ts';

const DOMAIN_PREFIX = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const secondsOf = (d: Duration) => d.toSeconds({ integral: false });
const wholeDays = (d?: Duration) => d === undefined || (secondsOf(d) % 86400 === 0 && secondsOf(d) >= 86400);

/** Every rule SecureFileSharing's props must keep; all broken ones are reported together. */
export const SECURE_FILE_SHARING_RULES: readonly PropsRule<SecureFileSharingProps>[] = [
  {
    fails: (p) => !!p.existingUserPool !== !!p.existingHostedUiBaseUrl,
    message: 'existingUserPool and existingHostedUiBaseUrl go together: give both or neither',
  },
  {
    fails: (p) => !!p.existingUserPool && p.cognitoDomainPrefix !== undefined,
    message: 'cognitoDomainPrefix makes a hosted UI domain, which an existing user pool already has',
  },
  {
    fails: (p) =>
      p.cognitoDomainPrefix !== undefined &&
      !Token.isUnresolved(p.cognitoDomainPrefix) &&
      (!DOMAIN_PREFIX.test(p.cognitoDomainPrefix) || /aws|amazon|cognito/.test(p.cognitoDomainPrefix)),
    message: (p) =>
      `cognitoDomainPrefix "${p.cognitoDomainPrefix}": lower-case letters, digits and -, at most 63, without "aws", "amazon" or "cognito"`,
  },
  {
    fails: (p) =>
      !!p.existingFilesBucket &&
      (p.pendingUploadExpiry !== undefined || p.noncurrentVersionExpiration !== undefined || p.versioned !== undefined),
    message:
      'pendingUploadExpiry, noncurrentVersionExpiration and versioned shape a bucket this construct makes; set them on existingFilesBucket yourself',
  },
  {
    fails: (p) =>
      p.pendingUploadPrefix !== undefined &&
      (!/^[a-z0-9-]+\/$/.test(p.pendingUploadPrefix) || p.pendingUploadPrefix === 'files/'),
    message:
      'pendingUploadPrefix must be a lower-case folder such as "uploads/", other than "files/" (ready files live there)',
  },
  {
    fails: (p) => !wholeDays(p.pendingUploadExpiry),
    message: 'pendingUploadExpiry must be a whole number of days, at least 1 (S3 lifecycle counts days)',
  },
  {
    fails: (p) => !wholeDays(p.noncurrentVersionExpiration),
    message: 'noncurrentVersionExpiration must be a whole number of days, at least 1',
  },
  {
    fails: (p) => p.versioned === false && p.noncurrentVersionExpiration !== undefined,
    message: 'noncurrentVersionExpiration needs versioned: true',
  },
  {
    fails: (p) =>
      p.sweepInterval !== undefined && (secondsOf(p.sweepInterval) < 60 || secondsOf(p.sweepInterval) % 60 !== 0),
    message: 'sweepInterval must be whole minutes, at least 1 (EventBridge schedules have minute resolution)',
  },
  {
    fails: (p) =>
      p.sessionDuration !== undefined &&
      (secondsOf(p.sessionDuration) < 3600 || secondsOf(p.sessionDuration) > 3650 * 86400),
    message: 'sessionDuration must be between 60 minutes and 10 years (Cognito refresh token validity)',
  },
  {
    fails: (p) => !!p.apiThrottle && (p.apiThrottle.rateLimit <= 0 || p.apiThrottle.burstLimit <= 0),
    message: 'apiThrottle limits must be positive',
  },
  {
    fails: (p) => !!p.customDomain && p.customDomain.domainNames.length === 0,
    message: 'customDomain.domainNames must name at least one domain',
  },
  {
    fails: (p) => missingEntries(p.bundling.projectRoot, p.handlers).length > 0,
    message: (p) =>
      `handler entries not found under ${p.bundling.projectRoot}: ${missingEntries(p.bundling.projectRoot, p.handlers).join(', ')}`,
  },
  {
    fails: (p) => !!p.webAssetsPath && !existsSync(resolve(p.bundling.projectRoot, p.webAssetsPath)),
    message: (p) => `webAssetsPath ${p.webAssetsPath} does not exist (build the UI first: npm run build:web)`,
  },
];
