import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as cloudfront from 'aws-cdk-lib/aws-cloudfront';
import * as origins from 'aws-cdk-lib/aws-cloudfront-origins';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';
import { Construct } from 'constructs';
import { acknowledge, allowWildcards } from './acknowledgements.ts';
import { privateBucket } from './buckets.ts';
import { edgeAuthCode } from './edge-auth.ts';

export interface WebDistributionProps {
  /** The HTTP API's host name (`<id>.execute-api.<region>.amazonaws.com`), served under /api, /s/*\/* and /healthz. */
  readonly apiDomainName: string;
  readonly issuer: string;
  readonly sessionCookieName: string;
  readonly signInPath: string;
  readonly publicPathPrefixes: readonly string[];
  readonly logsBucket: s3.IBucket;
  readonly customDomain?: { readonly domainNames: string[]; readonly certificate: acm.ICertificate };
  readonly webAclId?: string;
  readonly priceClass: cloudfront.PriceClass;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * The web UI: a private bucket reached only through CloudFront with origin access control, the edge
 * session check on its pages, and the API behind the same origin (so the SPA needs no CORS and the
 * share links' cookies stay first-party).
 */
export class WebDistribution extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly distribution: cloudfront.Distribution;
  public readonly edgeFunction: cloudfront.Function;

  constructor(scope: Construct, id: string, props: WebDistributionProps) {
    super(scope, id);
    this.bucket = privateBucket(this, 'Bucket', {
      serverAccessLogsBucket: props.logsBucket,
      serverAccessLogsPrefix: 'web-bucket/',
      removalPolicy: props.removalPolicy,
    });
    this.edgeFunction = new cloudfront.Function(this, 'EdgeAuth', {
      runtime: cloudfront.FunctionRuntime.JS_2_0,
      comment: 'Cairn: sends visitors without a Cognito session to sign in; SPA fallback',
      code: cloudfront.FunctionCode.fromInline(
        edgeAuthCode({
          issuer: props.issuer,
          cookieName: props.sessionCookieName,
          signInPath: props.signInPath,
          publicPrefixes: props.publicPathPrefixes,
        }),
      ),
    });
    const ui: cloudfront.BehaviorOptions = {
      origin: origins.S3BucketOrigin.withOriginAccessControl(this.bucket),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      cachePolicy: cloudfront.CachePolicy.CACHING_OPTIMIZED,
      responseHeadersPolicy: cloudfront.ResponseHeadersPolicy.SECURITY_HEADERS,
      functionAssociations: [{ function: this.edgeFunction, eventType: cloudfront.FunctionEventType.VIEWER_REQUEST }],
    };
    const api: cloudfront.BehaviorOptions = {
      origin: new origins.HttpOrigin(props.apiDomainName, {
        protocolPolicy: cloudfront.OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [cloudfront.OriginSslPolicy.TLS_V1_2],
      }),
      viewerProtocolPolicy: cloudfront.ViewerProtocolPolicy.HTTPS_ONLY,
      allowedMethods: cloudfront.AllowedMethods.ALLOW_ALL,
      cachePolicy: this.apiCachePolicy(),
      originRequestPolicy: cloudfront.OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
    };
    this.distribution = new cloudfront.Distribution(this, 'Distribution', {
      comment: 'Cairn web UI and API',
      defaultRootObject: 'index.html',
      defaultBehavior: ui,
      // Order matters: /s/<id>/<action> is the API, /s/<id> is the SPA's public share page.
      additionalBehaviors: { '/api/*': api, '/healthz': api, '/s/*/*': api, '/s/*': ui },
      httpVersion: cloudfront.HttpVersion.HTTP2_AND_3,
      priceClass: props.priceClass,
      enableLogging: true,
      logBucket: props.logsBucket,
      logFilePrefix: 'cloudfront/',
      domainNames: props.customDomain?.domainNames,
      certificate: props.customDomain?.certificate,
      // Only a custom certificate lets the viewer policy be chosen (see the CFR4 acknowledgement below).
      minimumProtocolVersion: props.customDomain ? cloudfront.SecurityPolicyProtocol.TLS_V1_2_2021 : undefined,
      webAclId: props.webAclId,
    });
    acknowledge(
      this.distribution,
      'CFR1',
      'Cairn serves its users wherever they are; geo restriction is left to a WAF web ACL (webAclId) if needed.',
    );
    if (!props.webAclId) {
      acknowledge(
        this.distribution,
        'CFR2',
        'No WAF web ACL was given (webAclId): a web ACL costs a fixed monthly fee; the API has its own throttling and JWT authorizer.',
      );
    }
    if (!props.customDomain) {
      acknowledge(
        this.distribution,
        'CFR4',
        'Without a custom domain the distribution uses the *.cloudfront.net certificate, whose security policy CloudFront fixes; give customDomain to enforce TLSv1.2_2021.',
      );
    }
  }

  /**
   * CloudFront drops the Authorization header of GET and HEAD requests unless a cache policy names it,
   * and a policy that disables caching may name no header. So: TTLs of 0 to 1 second (caching nominally
   * on, nothing kept: the API sends no-store), keyed on Authorization, every cookie and query string.
   */
  private apiCachePolicy(): cloudfront.CachePolicy {
    return new cloudfront.CachePolicy(this, 'ApiCachePolicy', {
      comment: 'Cairn API: forward Authorization, cookies and query strings; keep nothing',
      minTtl: Duration.seconds(0),
      defaultTtl: Duration.seconds(0),
      maxTtl: Duration.seconds(1),
      headerBehavior: cloudfront.CacheHeaderBehavior.allowList('Authorization'),
      cookieBehavior: cloudfront.CacheCookieBehavior.all(),
      queryStringBehavior: cloudfront.CacheQueryStringBehavior.all(),
    });
  }

  /** Uploads the built SPA (e.g. dist/web) plus config.json with the values it needs at run time. */
  deployAssets(path: string, runtimeConfig: Record<string, string>): s3deploy.BucketDeployment {
    const deployment = new s3deploy.BucketDeployment(this, 'Assets', {
      sources: [s3deploy.Source.asset(path), s3deploy.Source.jsonData('config.json', runtimeConfig)],
      destinationBucket: this.bucket,
      distribution: this.distribution,
      distributionPaths: ['/*'],
      memoryLimit: 512,
      cacheControl: [s3deploy.CacheControl.maxAge(Duration.minutes(5))],
    });
    const reason = (what: string) =>
      `CDK's BucketDeployment custom resource (aws-cdk-lib owns its code and role): ${what}. It runs only during deployments.`;
    const role = deployment.handlerRole;
    acknowledge(
      role,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason('its role uses the AWS managed basic execution policy'),
    );
    for (const finding of [
      'Action::s3:GetObject*',
      'Action::s3:GetBucket*',
      'Action::s3:List*',
      'Action::s3:DeleteObject*',
      'Action::s3:Abort*',
      'Action::kms:GenerateDataKey*',
      'Action::kms:ReEncrypt*',
    ])
      acknowledge(
        role,
        `IAM5[${finding}]`,
        reason('its grants copy the asset into the web bucket and invalidate the distribution'),
      );
    acknowledge(role, 'IAM5[Resource::*]', reason('CloudFront invalidations cannot be scoped to a resource'));
    allowWildcards(role, [
      {
        kind: 'Resource',
        pattern: /^arn:<AWS::Partition>:s3:::cdk-[a-z0-9]+-assets-.+\/\*$/,
        reason: reason('it reads the uploaded asset from the CDK bootstrap bucket'),
      },
      {
        kind: 'Resource',
        pattern: /^<[A-Za-z0-9]+\.Arn>\/\*$/,
        reason: reason('it writes every object of the web bucket'),
      },
    ]);
    const handler = role.node.scope;
    if (handler) acknowledge(handler, 'L1', reason('aws-cdk-lib chooses its Python runtime'));
    return deployment;
  }
}
