/**
 * Wires the AWS adapters to the core for the Lambda handlers, from the environment the CDK app sets
 * (env.ts) and cairn.yaml bundled beside the code (CAIRN_CONFIG). Everything is built once per cold
 * start, on first use, so a function only needs the variables and permissions of what it uses.
 * Nothing here imports a local adapter that touches SQLite, the disk store or SMTP; the runtime-neutral
 * ones it reuses (fetch HTTP client, scrypt hasher, JWT tokens) are allow-listed in test/aws/bundle.test.ts.
 * Mailers are passed in by channel-sender.ts, so only that bundle carries nodemailer and the SES client.
 */
import { CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import { CognitoIdentity } from '../../adapters/aws/cognito-identity.ts';
import { DynamoAuditRepository } from '../../adapters/aws/dynamodb/audit-repository.ts';
import { DynamoAttemptLimiter } from '../../adapters/aws/dynamodb/attempt-limiter.ts';
import { DynamoDeliveryRepository } from '../../adapters/aws/dynamodb/delivery-repository.ts';
import { documentClient } from '../../adapters/aws/dynamodb/dynamo.ts';
import { DynamoEventHistory } from '../../adapters/aws/dynamodb/event-history.ts';
import { DynamoFileRepository } from '../../adapters/aws/dynamodb/file-repository.ts';
import { DynamoNotificationGroupRepository } from '../../adapters/aws/dynamodb/notification-group-repository.ts';
import { DynamoShareRepository } from '../../adapters/aws/dynamodb/share-repository.ts';
import { DynamoSilenceStore } from '../../adapters/aws/dynamodb/silence-store.ts';
import { DynamoSubscriptionStore } from '../../adapters/aws/dynamodb/subscription-store.ts';
import { S3ObjectStore } from '../../adapters/aws/s3-object-store.ts';
import { SecretsManagerSecrets } from '../../adapters/aws/secrets-manager-secrets.ts';
import { SnsTopic } from '../../adapters/aws/sns-topic.ts';
import { SqsEventBus } from '../../adapters/aws/sqs-event-bus.ts';
import { SqsQueue } from '../../adapters/aws/sqs-queue.ts';
import { FetchHttpClient } from '../../adapters/local/http-client.ts';
import { JwtSessionTokens } from '../../adapters/local/jwt-tokens.ts';
import { ScryptHasher } from '../../adapters/local/scrypt-hasher.ts';
import { retryPolicyOf } from '../../config/alerts.ts';
import { loadConfig, type CairnConfig } from '../../config/load.ts';
import { Enricher } from '../../core/alerts/enrich/enricher.ts';
import { IngestService } from '../../core/alerts/ingest/index.ts';
import type { IngestedEvent } from '../../core/alerts/model.ts';
import {
  ChannelSender,
  compileRoutes,
  Notifier,
  resolveChannels,
  Silences,
  type ChannelMessage,
  type ResolvedChannel,
} from '../../core/alerts/notify/index.ts';
import { SubscriptionDirectory, subscriptionsFromConfig } from '../../core/alerts/topic/index.ts';
import { EnrichWorker } from '../../core/alerts/workers/enrich-worker.ts';
import { systemClock, type Clock } from '../../core/clock.ts';
import { SharingService } from '../../core/sharing/service.ts';
import { ShareSweeper } from '../../core/sharing/sweeper.ts';
import type { SharingLimits } from '../../core/sharing/limits.ts';
import type { Mailer } from '../../ports/alerts.ts';
import type { Queue } from '../../ports/queue.ts';
import { withBuiltinSources } from '../local/hub-sources.ts';
import { CognitoUserService } from './cognito-users.ts';
import { lambdaEnv, required, type LambdaEnv } from './env.ts';
import { logger, traced } from './powertools.ts';

const once = <T>(make: () => T) => {
  let value: T | undefined;
  return () => (value ??= make());
};

export const clock: Clock = systemClock;
export const env = once(() => lambdaEnv());
export const config = once((): CairnConfig => {
  const e = env();
  return loadConfig(
    e.CAIRN_CONFIG ? { CAIRN_CONFIG: e.CAIRN_CONFIG } : {},
    process.env.LAMBDA_TASK_ROOT ?? process.cwd(),
  );
});

const region = () => env().AWS_REGION;
export const clients = {
  s3: once(() => traced(new S3Client({ region: region() }))),
  dynamo: once(() => documentClient(traced(new DynamoDBClient({ region: region() })))),
  sqs: once(() => traced(new SQSClient({ region: region() }))),
  sns: once(() => traced(new SNSClient({ region: region() }))),
  cognito: once(() => traced(new CognitoIdentityProviderClient({ region: region() }))),
  secrets: once(() => traced(new SecretsManagerClient({ region: region() }))),
};

/** The app secret (channel/source secrets by their cairn.yaml `*Env` names) merged over process.env. */
export const secretEnv = once(async (): Promise<Record<string, string | undefined>> => {
  const id = env().APP_SECRET_ID;
  const values = id ? await new SecretsManagerSecrets({ client: clients.secrets(), secretId: id }).values() : {};
  return { ...process.env, ...values };
});

/** cairn.yaml's `sharing:` as the core's limits (the same mapping as runtime/local/compose.ts). */
function sharingLimits(c: CairnConfig): SharingLimits {
  const s = c.sharing;
  return {
    maxUploadBytes: Math.min(s.maxUploadBytes, 5 * 1024 ** 3), // one presigned PUT: S3 takes at most 5 GiB
    uploadUrlTtlSeconds: s.uploadUrlTtl,
    defaultExpiresInSeconds: s.defaultExpiry,
    maxExpiresInSeconds: s.maxExpiry,
    downloadUrlTtlSeconds: s.downloadUrlTtl,
    maxPresignSeconds: 7 * 86400,
    maxFilesPerShare: 100,
    maxRecipients: 50,
    unsharedFileGraceSeconds: s.unsharedFileGrace,
  };
}

/** The hub's `events` queue (ingest, domain events), with its ledger in the hub table when there is one. */
export const eventsQueue = once((): Queue<IngestedEvent> => {
  const e = env();
  return new SqsQueue<IngestedEvent>({
    client: clients.sqs(),
    name: 'events',
    queueUrl: required(e, 'EVENTS_QUEUE_URL'),
    ...(e.EVENTS_DLQ_URL ? { deadLetterQueueUrl: e.EVENTS_DLQ_URL } : {}),
    maxReceiveCount: config().alerts.queue.maxReceiveCount,
    ...(e.HUB_TABLE ? { ledger: { doc: clients.dynamo(), table: e.HUB_TABLE } } : {}),
  });
});

/** Queue `channel:<name>` on AWS: one SQS queue for every channel (the message names its channel). */
export const channelsQueue = once((): Queue<ChannelMessage> => {
  const e = env();
  return new SqsQueue<ChannelMessage>({
    client: clients.sqs(),
    name: 'channels',
    queueUrl: required(e, 'CHANNELS_QUEUE_URL'),
    ...(e.CHANNELS_DLQ_URL ? { deadLetterQueueUrl: e.CHANNELS_DLQ_URL } : {}),
    maxReceiveCount: config().alerts.queue.maxReceiveCount,
    ...(e.HUB_TABLE ? { ledger: { doc: clients.dynamo(), table: e.HUB_TABLE } } : {}),
  });
});

export const identity = once(() => {
  const e = env();
  return new CognitoIdentity({
    client: clients.cognito(),
    userPoolId: required(e, 'USER_POOL_ID'),
    clientId: required(e, 'CLIENT_ID'),
    adminGroup: e.ADMIN_GROUP,
  });
});

export const sharing = once(() => {
  const e = env();
  const table = required(e, 'SHARING_TABLE');
  const doc = clients.dynamo();
  const files = new DynamoFileRepository(doc, table);
  const shares = new DynamoShareRepository(doc, table);
  const objects = new S3ObjectStore({
    client: clients.s3(),
    bucket: required(e, 'BUCKET'),
    ...(e.KMS_KEY_ID ? { kmsKeyId: e.KMS_KEY_ID } : {}),
  });
  const events = new SqsEventBus(eventsQueue(), clock);
  const limits = sharingLimits(config());
  const p = config().sharing.passwordAttempts;
  // In the sharing table, so every Lambda instance counts the same guesses (an in-memory count would
  // give an attacker a fresh allowance on each cold start and each concurrent instance).
  const limiter = (name: string, limit: number) =>
    new DynamoAttemptLimiter({
      doc,
      table,
      name,
      rule: { limit, windowSeconds: p.window },
      refusal: { code: 'CAIRN_SHARE_PASSWORD_RATE_LIMITED', what: 'password attempts for this share' },
      clock,
    });
  const service = new SharingService({
    files,
    shares,
    audit: new DynamoAuditRepository(doc, table),
    identity: identity(),
    objects,
    hasher: new ScryptHasher(),
    events,
    clock,
    limits,
    unlockLimiter: limiter('share-unlock', p.limit),
    shareUnlockLimiter: limiter('share-unlock-all', p.limit * 10),
  });
  const sweeper = new ShareSweeper({ files, shares, objects, events, clock, limits, logger });
  return { service, sweeper, objects };
});

export const users = once(() => new CognitoUserService(clients.cognito(), required(env(), 'USER_POOL_ID'), clock));

/** Signs share-unlock cookies with CAIRN_UNLOCK_KEY from the app secret (base64, 32 bytes or more). */
export const unlockTokens = once(async () => {
  const key = (await secretEnv()).CAIRN_UNLOCK_KEY;
  const bytes = key ? Buffer.from(key, 'base64') : Buffer.alloc(0);
  if (bytes.length < 32) throw new Error('CAIRN_UNLOCK_KEY (in the app secret) must be at least 32 bytes, base64');
  return new JwtSessionTokens(bytes, 3600, clock, 'cairn-share-unlock');
});

/**
 * Makes the mailers of the e-mail channels (undefined: there are none), throwing a ConfigError when they
 * cannot be made. Passed in by channel-sender.ts, so only that bundle carries nodemailer and SES.
 */
export type MailersFor = (
  channels: Record<string, ResolvedChannel>,
) => { mailerFor: (channel: string) => Mailer } | undefined;

/** The hub's stores and workers over DynamoDB, SQS and SNS. */
export const hub = once(async () => {
  const e = env();
  const a = config().alerts;
  const doc = clients.dynamo();
  const hubTable = required(e, 'HUB_TABLE');
  const history = new DynamoEventHistory({ doc, table: required(e, 'EVENTS_TABLE'), retentionSeconds: a.retention });
  const deliveries = new DynamoDeliveryRepository(doc, hubTable);
  const vars = await secretEnv();
  const subscriptions = new SubscriptionDirectory(
    subscriptionsFromConfig(a.subscriptions, vars),
    new DynamoSubscriptionStore(doc, hubTable),
  );
  const silenceStore = new DynamoSilenceStore(doc, hubTable);
  const silences = new Silences(a.silences, silenceStore);
  const http = new FetchHttpClient();
  const retry = retryPolicyOf(a.queue);
  // Channels and subscriptions: receivers outside Cairn, retried for longer (alerts.delivery); the
  // infra gives their queues the same maxReceiveCount.
  const deliveryRetry = retryPolicyOf(a.delivery);
  const topic = () =>
    new SnsTopic({
      client: clients.sns(),
      topicArn: required(e, 'TOPIC_ARN'),
      ...(e.SNS_ATTRIBUTE_LABELS ? { attributeLabels: e.SNS_ATTRIBUTE_LABELS.split(',').map((s) => s.trim()) } : {}),
    });
  let sender: ChannelSender | undefined;
  const makeSender = (mailers: MailersFor) => {
    const channels = resolveChannels(a.channels, vars);
    const mail = mailers(channels); // before the sender exists: a missing mail identity fails here, not on a send
    return new ChannelSender({
      channels,
      ...(mail ? { mailerFor: mail.mailerFor } : {}),
      history,
      deliveries,
      http,
      clock,
      logger,
      retry: deliveryRetry,
      ...(e.PUBLIC_URL
        ? { format: { eventUrl: (id: string) => `${e.PUBLIC_URL}/alerts/events/${encodeURIComponent(id)}` } }
        : {}),
    });
  };
  return {
    history,
    deliveries,
    subscriptions,
    silences,
    silenceStore,
    http,
    retry,
    deliveryRetry,
    enrichWorker: once(
      () =>
        new EnrichWorker({
          enricher: new Enricher({ config: withBuiltinSources(a), http, clock }),
          history,
          topic: topic(),
          clock,
          logger,
          retentionSeconds: a.retention,
          backoff: retry,
        }),
    ),
    notifier: once(
      () =>
        new Notifier({
          routes: compileRoutes(a.routes),
          silences,
          groups: new DynamoNotificationGroupRepository(doc, hubTable),
          history,
          deliveries,
          queueForChannel: () => channelsQueue(),
          clock,
          logger,
          retry,
        }),
    ),
    /** The channel sender, made on first use with that caller's mailers (a throw is not kept). */
    sender: (mailers: MailersFor): ChannelSender => (sender ??= makeSender(mailers)),
    ingest: once(() =>
      IngestService.create({
        sources: a.sources,
        maxBodyBytes: a.maxBodyBytes,
        queue: eventsQueue(),
        clock,
        secrets: {
          env: vars,
          readFile: () => {
            throw Object.assign(new Error('no files on Lambda'), { code: 'ENOENT' });
          },
        },
      }),
    ),
  };
});

export type LambdaHub = Awaited<ReturnType<typeof hub>>;
export type { LambdaEnv };
