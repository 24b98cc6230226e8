import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { resolve } from 'node:path';
import { TABLE_INDEX_WILDCARD, allowWildcards } from './private/acknowledgements.ts';
import { accessLogsBucket } from './private/buckets.ts';
import { filesBucket } from './private/files-bucket.ts';
import { DataTable } from './private/data-table.ts';
import { SHARING_TABLE } from './private/tables.ts';
import { OBJECT_PREFIX_REASON, grantObjects, grantTable } from './private/grants.ts';
import { HandlerFunction, type HandlerBundling } from './private/handler-function.ts';
import { SharingApi } from './private/sharing-api.ts';
import { SharingIdentity, WEB_CLIENT_SCOPES } from './private/sharing-identity.ts';
import { SECURE_FILE_SHARING_RULES } from './private/secure-file-sharing-rules.ts';
import { validateProps } from './private/validation.ts';
import { WebDistribution } from './private/web-distribution.ts';

/** The hub resources the sharing functions use (see EventNotificationHub). */
export interface SharingHubAccess {
  readonly eventsQueue: sqs.IQueue;
  readonly eventsDeadLetterQueue?: sqs.IQueue;
  /** The event history (EVENTS_TABLE), read by /api/events. */
  readonly historyTable?: dynamodb.ITable;
  /** The hub's state (HUB_TABLE): silences and subscriptions managed from the admin routes. */
  readonly stateTable?: dynamodb.ITable;
}

/** Lambda entries (TypeScript files, relative to bundling.projectRoot): the handler code lives in src/. */
export interface SecureFileSharingHandlers {
  /** The Hono app through hono/aws-lambda, e.g. src/runtime/lambda/http.ts. */
  readonly api: string;
  /** The share sweeper, e.g. src/runtime/lambda/share-sweeper.ts. */
  readonly sweeper: string;
}

export interface SecureFileSharingProps {
  readonly handlers: SecureFileSharingHandlers;
  readonly bundling: HandlerBundling;
  /** Use this bucket for files instead of making one (its lifecycle and CORS are then yours to set). */
  readonly existingFilesBucket?: s3.IBucket;
  /** The customer managed key for files and tables; none: one is made (with yearly rotation). */
  readonly existingEncryptionKey?: kms.IKey;
  /** Use this user pool instead of making one; then existingHostedUiBaseUrl is required. */
  readonly existingUserPool?: cognito.IUserPool;
  readonly existingHostedUiBaseUrl?: string;
  /** The hosted UI's domain prefix; default: derived from the construct path and the account id. */
  readonly cognitoDomainPrefix?: string;
  /** @default cognito.Mfa.REQUIRED (TOTP) */
  readonly mfa?: cognito.Mfa;
  /** Cognito Plus plan with threat protection enforced. @default true */
  readonly threatProtection?: boolean;
  /** How long a sign-in lasts (the refresh token's validity): cairn.yaml auth.sessionTtl. @default 12 hours */
  readonly sessionDuration?: Duration;
  /** Pending uploads under uploads/ are deleted after this (whole days). @default 2 days */
  readonly pendingUploadExpiry?: Duration;
  /** Keep overwritten or deleted objects this long (whole days); undefined with versioned:false. @default 7 days */
  readonly noncurrentVersionExpiration?: Duration;
  /** @default true */
  readonly versioned?: boolean;
  /** How often the sweeper runs: cairn.yaml sharing.sweepInterval, at least a minute. @default 1 minute */
  readonly sweepInterval?: Duration;
  /**
   * The hub, when deployed: the events queue receives share.downloaded / share.expired, and the HTTP
   * API (the same Hono app as locally) serves the hub's history and admin routes from its tables.
   */
  readonly hub?: SharingHubAccess;
  /**
   * The application secret (JSON of names to values: CAIRN_UNLOCK_KEY, and the `*Env` names of
   * cairn.yaml), referenced, never created here: its values must not pass through a template.
   */
  readonly appSecret?: secretsmanager.ISecret;
  /** The Cognito group whose members are Cairn administrators. @default 'cairn-admins' */
  readonly adminGroupName?: string;
  /** Where pending uploads live; they expire after pendingUploadExpiry. @default 'uploads/' */
  readonly pendingUploadPrefix?: string;
  /** The built SPA (e.g. dist/web) to upload with a config.json; none: the bucket is left for you. */
  readonly webAssetsPath?: string;
  readonly customDomain?: { readonly domainNames: string[]; readonly certificate: acm.ICertificate };
  readonly webAclId?: string;
  /** @default PriceClass.PRICE_CLASS_100 */
  readonly priceClass?: cloudfront.PriceClass;
  /** Extra OAuth callback URLs (e.g. http://localhost:5173/auth/callback while developing the UI). */
  readonly additionalCallbackUrls?: string[];
  /** @default { rateLimit: 50, burstLimit: 100 } */
  readonly apiThrottle?: { readonly rateLimit: number; readonly burstLimit: number };
  /** The cookie holding the Cognito ID token that the edge function checks. @default 'cairn_session' */
  readonly sessionCookieName?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
  /** Deletion protection on the user pool and tables. @default true */
  readonly deletionProtection?: boolean;
}

export const SIGN_IN_PATH = '/auth/sign-in';
const CALLBACK_PATH = '/auth/callback';
/** Paths the edge function lets through without a session (the e2e stand-in uses the same list). */
export const PUBLIC_PREFIXES = ['/auth/', '/s/', '/assets/', '/config.json', '/favicon', '/robots.txt'];

/**
 * Secure file sharing on AWS: files in a private SSE-KMS bucket reached only through presigned URLs,
 * the web UI on CloudFront (origin access control, a session check at the edge), Cognito sign-in with
 * the hosted UI and PKCE, the HTTP API behind a JWT authorizer, DynamoDB tables and the sweeper.
 */
export class SecureFileSharing extends Construct {
  public readonly encryptionKey: kms.IKey;
  public readonly filesBucket: s3.IBucket;
  public readonly logsBucket: s3.Bucket;
  public readonly userPool: cognito.IUserPool;
  public readonly userPoolClient: cognito.UserPoolClient;
  public readonly hostedUiBaseUrl: string;
  public readonly webBucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly edgeFunction: cloudfront.Function;
  public readonly api: SharingApi;
  public readonly apiFunction: HandlerFunction;
  public readonly sweeperFunction: HandlerFunction;
  public readonly sweeperRule: events.Rule;
  /** Shares, files and the download audit (one table: docs/aws-data-model.md). */
  public readonly table: dynamodb.Table;
  public readonly adminGroup?: cognito.CfnUserPoolGroup;
  /** The base URL users open (the distribution, or the first custom domain). */
  public readonly publicUrl: string;

  constructor(scope: Construct, id: string, props: SecureFileSharingProps) {
    super(scope, id);
    validateProps('SecureFileSharing', props, SECURE_FILE_SHARING_RULES);
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;
    const deletionProtection = props.deletionProtection ?? true;

    this.encryptionKey =
      props.existingEncryptionKey ??
      new kms.Key(this, 'Key', {
        description: 'Cairn sharing: files and tables',
        enableKeyRotation: true,
        removalPolicy,
      });
    this.logsBucket = accessLogsBucket(this, 'AccessLogs', removalPolicy);

    const identity = new SharingIdentity(this, 'Identity', {
      existingUserPool: props.existingUserPool,
      existingHostedUiBaseUrl: props.existingHostedUiBaseUrl,
      domainPrefix: props.cognitoDomainPrefix,
      mfa: props.mfa ?? cognito.Mfa.REQUIRED,
      threatProtection: props.threatProtection ?? true,
      removalPolicy,
      deletionProtection,
    });
    this.userPool = identity.userPool;
    this.hostedUiBaseUrl = identity.hostedUiBaseUrl;

    const adminGroupName = props.adminGroupName ?? 'cairn-admins';
    if (!props.existingUserPool) {
      this.adminGroup = new cognito.CfnUserPoolGroup(this, 'AdminGroup', {
        userPoolId: this.userPool.userPoolId,
        groupName: adminGroupName,
        description: 'Cairn administrators (the cognito:groups claim of their tokens names this group)',
      });
    }

    this.table = new DataTable(this, 'Table', {
      purpose: 'shares, files and download audit',
      definition: SHARING_TABLE,
      encryptionKey: this.encryptionKey,
      removalPolicy,
      deletionProtection,
    }).table;

    this.apiFunction = new HandlerFunction(this, 'ApiHandler', {
      ...props.bundling,
      entry: props.handlers.api,
      description: 'Cairn sharing: HTTP API (Hono)',
      timeout: Duration.seconds(29),
      memorySize: 1024,
    });
    this.api = new SharingApi(this, 'Api', {
      handler: this.apiFunction.function,
      throttle: props.apiThrottle ?? { rateLimit: 50, burstLimit: 100 },
    });
    const web = new WebDistribution(this, 'Web', {
      apiDomainName: this.api.domainName,
      issuer: identity.issuer,
      sessionCookieName: props.sessionCookieName ?? 'cairn_session',
      signInPath: SIGN_IN_PATH,
      publicPathPrefixes: PUBLIC_PREFIXES,
      logsBucket: this.logsBucket,
      customDomain: props.customDomain,
      webAclId: props.webAclId,
      priceClass: props.priceClass ?? cloudfront.PriceClass.PRICE_CLASS_100,
      removalPolicy,
    });
    this.webBucket = web.bucket;
    this.distribution = web.distribution;
    this.edgeFunction = web.edgeFunction;
    const origins = [
      `https://${this.distribution.distributionDomainName}`,
      ...(props.customDomain?.domainNames ?? []).map((d) => `https://${d}`),
    ];
    this.publicUrl = origins[origins.length > 1 ? 1 : 0]!;
    // The client comes after the distribution, whose URLs are its callback URLs (no cycle: the
    // distribution depends on the pool's issuer and the API's id, not on this client).
    // Sign-out returns to the origin's root, so an extra callback URL's origin is a logout URL too.
    const extraOrigins = (props.additionalCallbackUrls ?? []).flatMap((u) =>
      URL.canParse(u) ? [new URL(u).origin] : [],
    );
    this.userPoolClient = identity.addWebClient(
      [...origins.map((o) => `${o}${CALLBACK_PATH}`), ...(props.additionalCallbackUrls ?? [])],
      [...new Set([...origins, ...extraOrigins])].map((o) => `${o}/`),
      props.sessionDuration ?? Duration.hours(12),
    );
    this.api.addAuthenticatedRoutes(this.userPool, [this.userPoolClient]);

    this.filesBucket =
      props.existingFilesBucket ??
      filesBucket(this, 'FilesBucket', {
        encryptionKey: this.encryptionKey,
        logsBucket: this.logsBucket,
        origins,
        versioned: props.versioned ?? true,
        pendingUploadPrefix: props.pendingUploadPrefix ?? 'uploads/',
        pendingUploadExpiry: props.pendingUploadExpiry ?? Duration.days(2),
        noncurrentVersionExpiration: props.noncurrentVersionExpiration ?? Duration.days(7),
        removalPolicy,
      });

    this.sweeperFunction = new HandlerFunction(this, 'SweeperHandler', {
      ...props.bundling,
      entry: props.handlers.sweeper,
      description: 'Cairn sharing: expires shares, deletes unshared and abandoned bytes',
      timeout: Duration.minutes(5),
    });
    this.sweeperRule = new events.Rule(this, 'SweepSchedule', {
      description: 'Cairn sharing: run the sweeper (sharing.sweepInterval)',
      schedule: events.Schedule.rate(props.sweepInterval ?? Duration.minutes(1)),
      targets: [
        new targets.LambdaFunction(this.sweeperFunction.function, {
          retryAttempts: 2,
          maxEventAge: Duration.minutes(5),
        }),
      ],
    });

    const hub = props.hub;
    const environment: Record<string, string> = {
      PUBLIC_URL: this.publicUrl,
      BUCKET: this.filesBucket.bucketName,
      ...(this.filesBucket.encryptionKey ? { KMS_KEY_ID: this.filesBucket.encryptionKey.keyArn } : {}),
      [SHARING_TABLE.env]: this.table.tableName,
      USER_POOL_ID: this.userPool.userPoolId,
      CLIENT_ID: this.userPoolClient.userPoolClientId,
      ADMIN_GROUP: adminGroupName,
      ...(props.appSecret ? { APP_SECRET_ID: props.appSecret.secretName } : {}),
      ...(hub ? { EVENTS_QUEUE_URL: hub.eventsQueue.queueUrl } : {}),
      ...(hub?.eventsDeadLetterQueue ? { EVENTS_DLQ_URL: hub.eventsDeadLetterQueue.queueUrl } : {}),
      ...(hub?.historyTable ? { EVENTS_TABLE: hub.historyTable.tableName } : {}),
      ...(hub?.stateTable ? { HUB_TABLE: hub.stateTable.tableName } : {}),
    };
    const prefixes = ['files/', props.pendingUploadPrefix ?? 'uploads/'];
    for (const fn of [this.apiFunction, this.sweeperFunction]) {
      for (const [k, v] of Object.entries(environment)) fn.function.addEnvironment(k, v);
      grantTable(this.table, fn.role, 'readWrite');
      props.appSecret?.grantRead(fn.role);
      hub?.eventsQueue.grantSendMessages(fn.role);
      if (hub?.stateTable) grantTable(hub.stateTable, fn.role, 'readWrite');
    }
    grantObjects(this.filesBucket, this.apiFunction.role, {
      read: true,
      write: true,
      delete: true,
      list: true,
      prefixes,
    });
    grantObjects(this.filesBucket, this.sweeperFunction.role, { read: true, delete: true, list: true, prefixes });
    if (hub?.historyTable) grantTable(hub.historyTable, this.apiFunction.role, 'read');
    if (hub?.eventsDeadLetterQueue) {
      // The admin routes list the DLQ and redrive it into the events queue.
      hub.eventsDeadLetterQueue.grantConsumeMessages(this.apiFunction.role);
      this.apiFunction.role.addToPolicy(
        new iam.PolicyStatement({
          actions: ['sqs:StartMessageMoveTask', 'sqs:ListMessageMoveTasks'],
          resources: [hub.eventsDeadLetterQueue.queueArn],
        }),
      );
    }
    // Users are managed in Cognito (the hosted UI signs in; admins create users): the API only reads them.
    this.apiFunction.role.addToPolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:ListUsers', 'cognito-idp:AdminGetUser'],
        resources: [this.userPool.userPoolArn],
      }),
    );

    if (props.webAssetsPath) {
      // The keys src/web/lib/oauth-config.ts reads: their presence turns on Cognito sign-in in the SPA.
      web.deployAssets(resolve(props.bundling.projectRoot, props.webAssetsPath), {
        region: Stack.of(this).region,
        userPoolId: this.userPool.userPoolId,
        clientId: this.userPoolClient.userPoolClientId,
        hostedUiBaseUrl: this.hostedUiBaseUrl,
        issuer: identity.issuer,
        scope: WEB_CLIENT_SCOPES.map((s) => s.scopeName).join(' '),
        signInPath: SIGN_IN_PATH,
        callbackPath: CALLBACK_PATH,
        sessionCookieName: props.sessionCookieName ?? 'cairn_session',
      });
    }

    allowWildcards(this, [
      TABLE_INDEX_WILDCARD,
      { kind: 'Resource', pattern: /^<[A-Za-z0-9]+\.Arn>\/[a-z0-9-]+\/\*$/, reason: OBJECT_PREFIX_REASON },
    ]);
  }
}
