import { Duration, Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTableInput, SHARING_TABLE } from '../../src/adapters/aws/dynamodb/tables.ts';
import { SecureFileSharing, type SecureFileSharingProps } from '../lib/constructs/secure-file-sharing.ts';
import { InvalidPropsError } from '../lib/constructs/private/validation.ts';
import {
  PLACEHOLDER,
  PROJECT_ROOT,
  acknowledgements,
  actionsOf,
  allowStatements,
  isServiceWildcard,
  logicalId,
  nagFindings,
  RESOURCELESS_ACTIONS,
  resourcesOf,
  synth,
  testStack,
} from './helpers.ts';

const base: SecureFileSharingProps = {
  handlers: { api: PLACEHOLDER, sweeper: PLACEHOLDER },
  bundling: { projectRoot: PROJECT_ROOT },
};

describe('SecureFileSharing', () => {
  let stack: Stack;
  let sharing: SecureFileSharing;
  let t: Template;
  let json: { Resources: Record<string, { Type: string; Properties: any }> };

  beforeAll(() => {
    const s = testStack();
    stack = s.stack;
    const hubQueue = new sqs.Queue(stack, 'HubEvents', { enforceSSL: true });
    const history = new dynamodb.Table(stack, 'HubHistory', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
    });
    sharing = new SecureFileSharing(stack, 'Sharing', {
      ...base,
      sweepInterval: Duration.minutes(5),
      hub: { eventsQueue: hubQueue, historyTable: history },
      appSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'AppSecret', 'cairn/app'),
    });
    t = synth(stack);
    json = t.toJSON() as typeof json;
  });

  describe('the files bucket', () => {
    it('encrypts every object with the customer managed key, which rotates', () => {
      const key = logicalId(t, 'AWS::KMS::Key', 'SharingKey');
      t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
      t.hasResourceProperties('AWS::S3::Bucket', {
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            {
              ServerSideEncryptionByDefault: {
                SSEAlgorithm: 'aws:kms',
                KMSMasterKeyID: { 'Fn::GetAtt': [key, 'Arn'] },
              },
              BucketKeyEnabled: true,
            },
          ],
        },
      });
    });

    it('blocks public access on every bucket', () => {
      const buckets = Object.values(t.findResources('AWS::S3::Bucket'));
      expect(buckets.length).toBe(3);
      for (const b of buckets) {
        expect(b.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
      }
    });

    it('refuses requests without TLS on every bucket', () => {
      const policies = Object.values(t.findResources('AWS::S3::BucketPolicy'));
      expect(policies.length).toBe(3);
      for (const p of policies) {
        expect(p.Properties.PolicyDocument.Statement).toContainEqual(
          expect.objectContaining({
            Effect: 'Deny',
            Action: 's3:*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
        );
      }
    });

    it('is versioned, aborts incomplete multipart uploads and expires pending uploads and old versions', () => {
      const files = json.Resources[logicalId(t, 'AWS::S3::Bucket', 'SharingFilesBucket')]!.Properties;
      expect(files.VersioningConfiguration).toEqual({ Status: 'Enabled' });
      const rules = files.LifecycleConfiguration.Rules;
      expect(rules).toContainEqual(
        expect.objectContaining({ AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 }, Status: 'Enabled' }),
      );
      expect(rules).toContainEqual(
        expect.objectContaining({ Prefix: 'uploads/', ExpirationInDays: 2, Status: 'Enabled' }),
      );
      expect(rules).toContainEqual(expect.objectContaining({ NoncurrentVersionExpiration: { NoncurrentDays: 7 } }));
      expect(files.LoggingConfiguration).toMatchObject({ LogFilePrefix: 'files-bucket/' });
    });

    it("lets browsers upload and download from the distribution's origin only", () => {
      const files = json.Resources[logicalId(t, 'AWS::S3::Bucket', 'SharingFilesBucket')]!.Properties;
      const [rule] = files.CorsConfiguration.CorsRules;
      expect(rule.AllowedMethods).toEqual(['PUT', 'GET', 'HEAD']);
      expect(JSON.stringify(rule.AllowedOrigins)).toContain('DomainName');
      expect(rule.AllowedOrigins).not.toContain('*');
    });
  });

  describe('the web UI', () => {
    it('is a separate bucket that only CloudFront reads, through origin access control (not OAI)', () => {
      t.resourceCountIs('AWS::CloudFront::CloudFrontOriginAccessIdentity', 0);
      t.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
        OriginAccessControlConfig: {
          OriginAccessControlOriginType: 's3',
          SigningBehavior: 'always',
          SigningProtocol: 'sigv4',
        },
      });
      const web = logicalId(t, 'AWS::S3::Bucket', 'SharingWebBucket');
      t.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: web },
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudfront.amazonaws.com' },
              Action: 's3:GetObject',
              Condition: { StringEquals: { 'AWS:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
      const dist = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
      const s3Origin = dist.Origins.find((o: any) => o.S3OriginConfig);
      expect(s3Origin.OriginAccessControlId).toBeDefined();
      expect(s3Origin.S3OriginConfig.OriginAccessIdentity).toBe('');
    });

    it('checks the session at the edge with a CloudFront Function on the UI pages, not on the API', () => {
      const fn = logicalId(t, 'AWS::CloudFront::Function', 'SharingWebEdgeAuth');
      t.hasResourceProperties('AWS::CloudFront::Function', { FunctionConfig: { Runtime: 'cloudfront-js-2.0' } });
      const dist = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
      const association = [{ EventType: 'viewer-request', FunctionARN: { 'Fn::GetAtt': [fn, 'FunctionARN'] } }];
      expect(dist.DefaultCacheBehavior.FunctionAssociations).toEqual(association);
      const byPath = Object.fromEntries(dist.CacheBehaviors.map((b: any) => [b.PathPattern, b]));
      expect(Object.keys(byPath)).toEqual(['/api/*', '/healthz', '/s/*/*', '/s/*']);
      expect(byPath['/s/*'].FunctionAssociations).toEqual(association);
      for (const api of ['/api/*', '/healthz', '/s/*/*']) {
        expect(byPath[api].FunctionAssociations).toBeUndefined();
        expect(byPath[api].ViewerProtocolPolicy).toBe('https-only');
        expect(byPath[api].AllowedMethods).toContain('POST');
      }
      expect(dist.Logging).toMatchObject({ Prefix: 'cloudfront/' });
    });

    it('forwards the bearer token of every API request, GET included, and caches nothing', () => {
      const policy = logicalId(t, 'AWS::CloudFront::CachePolicy', 'SharingWebApiCachePolicy');
      t.hasResourceProperties('AWS::CloudFront::CachePolicy', {
        CachePolicyConfig: Match.objectLike({
          DefaultTTL: 0,
          MinTTL: 0,
          ParametersInCacheKeyAndForwardedToOrigin: Match.objectLike({
            HeadersConfig: { HeaderBehavior: 'whitelist', Headers: ['Authorization'] },
            CookiesConfig: { CookieBehavior: 'all' },
            QueryStringsConfig: { QueryStringBehavior: 'all' },
          }),
        }),
      });
      const dist = Object.values(t.findResources('AWS::CloudFront::Distribution'))[0]!.Properties.DistributionConfig;
      for (const b of dist.CacheBehaviors.filter((b: { PathPattern: string }) => b.PathPattern !== '/s/*')) {
        expect(b.CachePolicyId).toEqual({ Ref: policy });
      }
      expect(dist.ViewerCertificate ?? {}).not.toHaveProperty('MinimumProtocolVersion', 'TLSv1');
    });

    it("embeds the user pool's issuer in the edge function", () => {
      const code = JSON.stringify(
        Object.values(t.findResources('AWS::CloudFront::Function'))[0]!.Properties.FunctionCode,
      );
      expect(code).toContain('cognito-idp.');
      expect(code).toContain(logicalId(t, 'AWS::Cognito::UserPool', 'SharingIdentityUserPool'));
      expect(code).toContain('cairn_session');
    });
  });

  describe('sign-in', () => {
    it('lets only administrators create users, requires MFA and a strong password', () => {
      t.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        MfaConfiguration: 'ON',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: Match.objectLike({
            MinimumLength: 12,
            RequireSymbols: true,
            RequireUppercase: true,
            RequireNumbers: true,
          }),
        },
      });
      t.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'cairn-admins' });
      t.resourceCountIs('AWS::Cognito::UserPoolDomain', 1);
    });

    it("gives the web UI a public client with the hosted UI's authorization code flow (PKCE), no secret, no implicit grant", () => {
      t.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        SupportedIdentityProviders: ['COGNITO'],
        PreventUserExistenceErrors: 'ENABLED',
        EnableTokenRevocation: true,
        CallbackURLs: [{ 'Fn::Join': ['', ['https://', Match.anyValue(), '/auth/callback']] }],
      });
    });
  });

  describe('the HTTP API', () => {
    it('verifies Cognito JWTs for every /api route before the Lambda runs', () => {
      const client = logicalId(t, 'AWS::Cognito::UserPoolClient', 'SharingIdentityUserPoolWebClient');
      const authorizer = logicalId(t, 'AWS::ApiGatewayV2::Authorizer', 'SharingApi');
      t.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
        AuthorizerType: 'JWT',
        IdentitySource: ['$request.header.Authorization'],
        JwtConfiguration: { Audience: [{ Ref: client }], Issuer: Match.anyValue() },
      });
      t.hasResourceProperties('AWS::ApiGatewayV2::Route', {
        RouteKey: 'ANY /api/{proxy+}',
        AuthorizationType: 'JWT',
        AuthorizerId: { Ref: authorizer },
      });
    });

    it('leaves only share links, the API description and the health check public', () => {
      const routes = Object.values(t.findResources('AWS::ApiGatewayV2::Route')).map((r) => r.Properties);
      const open = routes
        .filter((r) => r.AuthorizationType === 'NONE' || r.AuthorizationType === undefined)
        .map((r) => r.RouteKey)
        .sort();
      expect(open).toEqual(['ANY /s/{proxy+}', 'GET /api/openapi.json', 'GET /healthz']);
    });

    it('logs access and throttles its default stage', () => {
      t.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
        StageName: '$default',
        AutoDeploy: true,
        AccessLogSettings: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        DefaultRouteSettings: { ThrottlingRateLimit: 50, ThrottlingBurstLimit: 100 },
      });
    });

    it('runs the Hono app on Node.js 24 (arm64) with the environment its composition reads', () => {
      const api = Object.values(t.findResources('AWS::Lambda::Function')).find((f) =>
        f.Properties.Description?.includes('HTTP API'),
      )!;
      expect(api.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        Handler: 'index.handler',
        TracingConfig: { Mode: 'Active' },
      });
      expect(Object.keys(api.Properties.Environment.Variables).sort()).toEqual(
        [
          'ADMIN_GROUP',
          'APP_SECRET_ID',
          'BUCKET',
          'CLIENT_ID',
          'EVENTS_QUEUE_URL',
          'EVENTS_TABLE',
          'KMS_KEY_ID',
          'NODE_OPTIONS',
          'PUBLIC_URL',
          'SHARING_TABLE',
          'USER_POOL_ID',
        ].sort(),
      );
    });
  });

  describe('data', () => {
    it('keeps shares, files and the audit in one table, shaped as the DynamoDB adapters define it, with point-in-time recovery', () => {
      const expected = createTableInput('x', SHARING_TABLE);
      t.hasResourceProperties('AWS::DynamoDB::Table', {
        KeySchema: expected.KeySchema,
        BillingMode: 'PAY_PER_REQUEST',
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: Match.anyValue() },
        GlobalSecondaryIndexes: expected.GlobalSecondaryIndexes,
        DeletionProtectionEnabled: true,
      });
      const table = json.Resources[logicalId(t, 'AWS::DynamoDB::Table', 'SharingTable')] as {
        UpdateReplacePolicy?: string;
      };
      expect(table.UpdateReplacePolicy).toBe('Retain');
    });

    it('runs the sweeper on an EventBridge schedule', () => {
      const sweeper = logicalId(t, 'AWS::Lambda::Function', 'SharingSweeperHandlerFunction');
      t.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'rate(5 minutes)',
        State: 'ENABLED',
        Targets: [
          Match.objectLike({
            Arn: { 'Fn::GetAtt': [sweeper, 'Arn'] },
            RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 300 },
          }),
        ],
      });
    });
  });

  describe('security', () => {
    it('has no cdk-nag AwsSolutions finding left unacknowledged', () => {
      // The construct only: the stand-in hub queue and table above are the test's, not its.
      expect(nagFindings(sharing)).toEqual([]);
    });

    it('gives a reason with every acknowledgement', () => {
      const acks = acknowledgements(stack);
      expect(acks.length).toBeGreaterThan(0);
      for (const a of acks) expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThan(30);
    });

    it('grants no wildcard action, and "*" resources only to actions that have no resource', () => {
      const statements = allowStatements(t);
      for (const s of statements) {
        for (const a of actionsOf(s)) expect(isServiceWildcard(a), a).toBe(false);
        if (resourcesOf(s).includes('*'))
          for (const a of actionsOf(s)) expect(RESOURCELESS_ACTIONS.has(a), a).toBe(true);
      }
      expect(statements.flatMap(actionsOf).filter((a) => a.includes('*'))).toEqual([]);
    });

    it('lets the functions touch objects only under files/ and uploads/', () => {
      const objectStatements = allowStatements(t).filter((s) =>
        actionsOf(s).some((a) => a.startsWith('s3:') && a !== 's3:ListBucket'),
      );
      expect(objectStatements.length).toBeGreaterThan(0);
      for (const s of objectStatements) {
        for (const r of resourcesOf(s)) expect(JSON.stringify(r)).toMatch(/\/(files|uploads)\/\*"/);
      }
    });

    it('reads users from Cognito but cannot create or delete them', () => {
      const cognitoActions = allowStatements(t)
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('cognito-idp:'));
      expect(new Set(cognitoActions)).toEqual(new Set(['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser']));
    });
  });

  describe('validation', () => {
    it('lists every problem of its props in one error', () => {
      const { stack: s } = testStack();
      let error: unknown;
      try {
        new SecureFileSharing(s, 'Bad', {
          handlers: { api: 'src/runtime/lambda/nope.ts', sweeper: PLACEHOLDER },
          bundling: { projectRoot: PROJECT_ROOT },
          existingUserPool: cognito.UserPool.fromUserPoolId(s, 'Pool', 'eu-west-1_abc'),
          cognitoDomainPrefix: 'My_AWS_Prefix',
          sweepInterval: Duration.seconds(30),
          pendingUploadExpiry: Duration.hours(36),
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(InvalidPropsError);
      const problems = (error as InvalidPropsError).problems.join('\n');
      expect(problems).toContain('existingUserPool and existingHostedUiBaseUrl go together');
      expect(problems).toContain('cognitoDomainPrefix makes a hosted UI domain');
      expect(problems).toContain('cognitoDomainPrefix "My_AWS_Prefix"');
      expect(problems).toContain('sweepInterval must be whole minutes');
      expect(problems).toContain('pendingUploadExpiry must be a whole number of days');
      expect(problems).toContain('src/runtime/lambda/nope.ts');
      expect((error as InvalidPropsError).problems.length).toBe(6);
    });

    it('exposes what it made', () => {
      expect(sharing.filesBucket).toBeDefined();
      expect(sharing.distribution.distributionDomainName).toBeDefined();
      expect(sharing.userPoolClient).toBeDefined();
      expect(sharing.table).toBeDefined();
      expect(sharing.apiFunction.function).toBeDefined();
    });
  });
});
