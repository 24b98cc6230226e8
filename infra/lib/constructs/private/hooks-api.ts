import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { acknowledge } from './acknowledgements.ts';
import { ACCEPTED_TEMPLATE, errorTemplate, hooksRequestTemplate } from './hooks-mapping.ts';

export interface HooksApiProps {
  readonly queue: sqs.IQueue;
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number };
  readonly webAclArn?: string;
}

const JSON_TYPES = ['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8'];

/** Gateway answers in Cairn's error shape, so a sender sees `{ "error": { "code", "message" } }` everywhere. */
const GATEWAY_ERRORS: readonly [apigw.ResponseType, string, string][] = [
  [apigw.ResponseType.UNSUPPORTED_MEDIA_TYPE, 'CAIRN_NOT_JSON', 'Webhooks must be sent as application/json.'],
  [apigw.ResponseType.BAD_REQUEST_BODY, 'CAIRN_INVALID_JSON', 'The body must be a JSON object.'],
  [
    apigw.ResponseType.BAD_REQUEST_PARAMETERS,
    'CAIRN_BAD_REQUEST',
    'A required header (Content-Type) or the source is missing.',
  ],
  [apigw.ResponseType.REQUEST_TOO_LARGE, 'CAIRN_BODY_TOO_LARGE', 'The body is larger than the hub accepts.'],
  [apigw.ResponseType.THROTTLED, 'CAIRN_RATE_LIMITED', 'Too many webhooks; retry later.'],
  [
    apigw.ResponseType.MISSING_AUTHENTICATION_TOKEN,
    'CAIRN_ROUTE_NOT_FOUND',
    'Webhooks are delivered with POST /hooks/{source}.',
  ],
];

/**
 * `POST /hooks/{source}` on a REST API (v1: the API Gateway flavour with direct AWS service
 * integrations): the request goes straight into the events queue through SQS SendMessage. No code runs
 * before the message is durable; the enrich worker verifies signatures and drops what fails.
 */
export class HooksApi extends Construct {
  public readonly api: apigw.RestApi;
  public readonly integrationRole: iam.Role;
  public readonly accessLogs: logs.LogGroup;

  constructor(scope: Construct, id: string, props: HooksApiProps) {
    super(scope, id);
    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.THREE_MONTHS,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.api = new apigw.RestApi(this, 'Api', {
      description: 'Cairn notification hub: webhook ingest into SQS',
      endpointTypes: [apigw.EndpointType.REGIONAL],
      cloudWatchRole: true,
      cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
      deployOptions: {
        stageName: 'v1',
        tracingEnabled: true,
        loggingLevel: apigw.MethodLoggingLevel.ERROR,
        // Bodies hold the senders' payloads and signatures: never in execution logs.
        dataTraceEnabled: false,
        metricsEnabled: true,
        throttlingRateLimit: props.throttle.rateLimit,
        throttlingBurstLimit: props.throttle.burstLimit,
        accessLogDestination: new apigw.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigw.AccessLogFormat.jsonWithStandardFields({
          caller: false,
          httpMethod: true,
          ip: true,
          protocol: true,
          requestTime: true,
          resourcePath: true,
          responseLength: true,
          status: true,
          user: false,
        }),
      },
    });
    const cwRole = this.api.node.tryFindChild('CloudWatchRole');
    if (cwRole) {
      acknowledge(
        cwRole,
        'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        'The account-level role API Gateway uses to write execution logs; AWS maintains its log permissions.',
      );
    }
    for (const [type, code, message] of GATEWAY_ERRORS) {
      this.api.addGatewayResponse(`Error${code}`, {
        type,
        templates: { 'application/json': `{"error":{"code":"${code}","message":"${message}"}}` },
      });
    }

    this.integrationRole = new iam.Role(this, 'SendMessageRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Cairn hub: API Gateway sends webhooks to the events queue',
    });
    props.queue.grantSendMessages(this.integrationRole);

    const integration = new apigw.AwsIntegration({
      service: 'sqs',
      integrationHttpMethod: 'POST',
      path: `${Aws.ACCOUNT_ID}/${props.queue.queueName}`,
      options: {
        credentialsRole: this.integrationRole,
        passthroughBehavior: apigw.PassthroughBehavior.NEVER,
        requestParameters: { 'integration.request.header.Content-Type': "'application/x-www-form-urlencoded'" },
        requestTemplates: Object.fromEntries(JSON_TYPES.map((t) => [t, hooksRequestTemplate()])),
        integrationResponses: [
          {
            statusCode: '202',
            selectionPattern: '2\\d{2}',
            responseTemplates: { 'application/json': ACCEPTED_TEMPLATE },
          },
          {
            statusCode: '400',
            selectionPattern: '4\\d{2}',
            responseTemplates: {
              'application/json': errorTemplate(
                'CAIRN_HOOK_REJECTED',
                'The queue refused the message (too large or malformed).',
              ),
            },
          },
          {
            statusCode: '503',
            selectionPattern: '5\\d{2}',
            responseTemplates: {
              'application/json': errorTemplate(
                'CAIRN_QUEUE_UNAVAILABLE',
                'The events queue is unavailable; retry later.',
              ),
            },
          },
        ],
      },
    });
    const validator = new apigw.RequestValidator(this, 'Validator', {
      restApi: this.api,
      validateRequestBody: true,
      validateRequestParameters: true,
    });
    const bodyModel = this.api.addModel('WebhookBody', {
      contentType: 'application/json',
      schema: { schema: apigw.JsonSchemaVersion.DRAFT4, title: 'WebhookBody', type: apigw.JsonSchemaType.OBJECT },
    });
    const method = this.api.root
      .addResource('hooks')
      .addResource('{source}')
      .addMethod('POST', integration, {
        requestValidator: validator,
        requestParameters: { 'method.request.path.source': true, 'method.request.header.Content-Type': true },
        requestModels: Object.fromEntries(JSON_TYPES.map((t) => [t, bodyModel])),
        methodResponses: [{ statusCode: '202' }, { statusCode: '400' }, { statusCode: '503' }],
      });
    const why =
      'Webhook senders (GitHub, PagerDuty, …) cannot use Cognito or IAM: each source signs its deliveries (Standard Webhooks, GitHub HMAC or a bearer secret) and the enrich worker verifies that signature over the raw bytes before anything else.';
    acknowledge(method, 'APIG4', why);
    acknowledge(method, 'COG4', why);
    if (props.webAclArn) {
      new wafv2.CfnWebACLAssociation(this, 'WebAcl', {
        resourceArn: this.api.deploymentStage.stageArn,
        webAclArn: props.webAclArn,
      });
    } else {
      acknowledge(
        this.api.deploymentStage,
        'APIG3',
        'No WAF web ACL was given (webAclArn): stage throttling bounds the load; signatures reject forged webhooks.',
      );
    }
  }

  /** The URL webhooks are posted to, without the source. */
  get hooksUrl(): string {
    return this.api.urlForPath('/hooks');
  }
}
