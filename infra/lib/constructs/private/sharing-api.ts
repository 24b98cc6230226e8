import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpUserPoolAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as cognito from 'aws-cdk-lib/aws-cognito';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledgements.ts';

export interface SharingApiProps {
  readonly handler: lambda.IFunction;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
}

/** Routes reached without a token, and why each may be. */
const PUBLIC_ROUTES: readonly { path: string; methods: apigwv2.HttpMethod[]; reason: string }[] = [
  {
    path: '/s/{proxy+}',
    methods: [apigwv2.HttpMethod.ANY],
    reason:
      'Share links are opened by recipients without an account; the handler applies the share policy (expiry, password, limits) and reads a token when one is sent.',
  },
  {
    path: '/api/openapi.json',
    methods: [apigwv2.HttpMethod.GET],
    reason: 'The public API description holds no user data.',
  },
  { path: '/healthz', methods: [apigwv2.HttpMethod.GET], reason: 'Health check for monitors; returns a constant.' },
];

/**
 * The HTTP API (API Gateway v2): every /api route needs a Cognito JWT, verified by API Gateway before
 * the Lambda runs; the public routes above do not. One Lambda (the Hono app) serves all of them.
 */
export class SharingApi extends Construct {
  public readonly api: apigwv2.HttpApi;
  public readonly stage: apigwv2.HttpStage;
  private readonly integration: HttpLambdaIntegration;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: SharingApiProps) {
    super(scope, id);
    this.api = new apigwv2.HttpApi(this, 'Api', {
      description: 'Cairn sharing API',
      createDefaultStage: false,
      disableExecuteApiEndpoint: false,
    });
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            method: '$context.httpMethod',
            routeKey: '$context.routeKey',
            status: '$context.status',
            responseLength: '$context.responseLength',
            sub: '$context.authorizer.claims.sub',
            authorizerError: '$context.authorizer.error',
          }),
        ),
      },
    });
    this.integration = new HttpLambdaIntegration('Handler', props.handler, {
      payloadFormatVersion: apigwv2.PayloadFormatVersion.VERSION_2_0,
    });
    for (const route of PUBLIC_ROUTES) {
      for (const r of this.api.addRoutes({ path: route.path, methods: route.methods, integration: this.integration })) {
        acknowledge(r, 'APIG4', route.reason);
      }
    }
  }

  /** Every /api route, behind a JWT authorizer that accepts tokens of this pool issued to these clients. */
  addAuthenticatedRoutes(userPool: cognito.IUserPool, clients: cognito.IUserPoolClient[]): HttpUserPoolAuthorizer {
    const authorizer = new HttpUserPoolAuthorizer('Cognito', userPool, {
      userPoolClients: clients,
      userPoolRegion: Aws.REGION,
    });
    this.api.addRoutes({
      path: '/api/{proxy+}',
      methods: [apigwv2.HttpMethod.ANY],
      integration: this.integration,
      authorizer,
    });
    return authorizer;
  }

  /** The host name CloudFront uses as the API origin. */
  get domainName(): string {
    return `${this.api.apiId}.execute-api.${Aws.REGION}.${Aws.URL_SUFFIX}`;
  }
}
