/**
 * The environment the CDK app gives each function, parsed once per cold start and frozen. Each handler
 * asks only for what it uses, so a missing variable fails that function at start with its name.
 */
import { z } from 'zod';
import { ConfigError } from '../../config/errors.ts';

const schema = z.object({
  AWS_REGION: z.string().default('us-east-1'),
  PUBLIC_URL: z.url().optional(),
  BUCKET: z.string().min(3).optional(),
  KMS_KEY_ID: z.string().min(1).optional(),
  SHARING_TABLE: z.string().min(3).optional(),
  EVENTS_TABLE: z.string().min(3).optional(),
  HUB_TABLE: z.string().min(3).optional(),
  /** The backups' runs, chunks, cursors and leases (src/adapters/aws/dynamodb/backup-table.ts). */
  BACKUPS_TABLE: z.string().min(3).optional(),
  /** The hot database's Secrets Manager secret (RDS's JSON: host, port, username, password, dbname). */
  HOT_DB_SECRET_ID: z.string().min(1).optional(),
  /** The hot database's name when its secret has no `dbname` (RDS's generated secret has none). */
  HOT_DB_NAME: z.string().min(1).optional(),
  /** TLS to the hot database: verify-full checks RDS's certificate (NODE_EXTRA_CA_CERTS holds its CAs). */
  HOT_DB_SSLMODE: z.enum(['verify-full', 'no-verify', 'disable']).default('verify-full'),
  EVENTS_QUEUE_URL: z.url().optional(),
  EVENTS_DLQ_URL: z.url().optional(),
  CHANNELS_QUEUE_URL: z.url().optional(),
  CHANNELS_DLQ_URL: z.url().optional(),
  TOPIC_ARN: z.string().startsWith('arn:').optional(),
  USER_POOL_ID: z.string().min(3).optional(),
  CLIENT_ID: z.string().min(1).optional(),
  ADMIN_GROUP: z.string().min(1).default('cairn-admins'),
  /** A Secrets Manager secret: JSON of names (the `*Env` names in cairn.yaml, CAIRN_UNLOCK_KEY) to values. */
  APP_SECRET_ID: z.string().min(1).optional(),
  /** cairn.yaml, bundled beside the handler (relative to the function's directory). */
  CAIRN_CONFIG: z.string().min(1).optional(),
  /** Labels sent as SNS attributes after the six built-ins, comma-separated (at most four are used). */
  SNS_ATTRIBUTE_LABELS: z.string().optional(),
  /** The subscription a subscription-deliverer function serves; unset: every subscription, by filter policy. */
  SUBSCRIPTION_NAME: z.string().optional(),
  /** With SUBSCRIPTION_NAME unset: serve only subscriptions of this origin (runtime: those made by the API). */
  SUBSCRIPTION_ORIGIN: z.enum(['config', 'runtime']).optional(),
  /** The SES identity e-mail channels send as (arn:aws:ses:<region>:<account>:identity/<domain or address>). */
  SES_IDENTITY_ARN: z
    .string()
    .regex(/^arn:aws[\w-]*:ses:[a-z0-9-]+:\d{12}:identity\/.+$/, 'an SES identity ARN')
    .optional(),
});

export type LambdaEnv = Readonly<z.infer<typeof schema>>;
type Key = keyof LambdaEnv;

let parsed: LambdaEnv | undefined;

export function lambdaEnv(env: NodeJS.ProcessEnv = process.env): LambdaEnv {
  if (parsed && env === process.env) return parsed;
  // An empty variable means unset (CloudFormation cannot omit a key conditionally).
  const result = schema.safeParse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== '')));
  if (!result.success) {
    const lines = result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`invalid Lambda environment:\n  ${lines.join('\n  ')}`);
  }
  const frozen = Object.freeze(result.data);
  if (env === process.env) parsed = frozen;
  return frozen;
}

/** The value of a variable this function cannot run without. */
export function required<K extends Key>(env: LambdaEnv, name: K): NonNullable<LambdaEnv[K]> {
  const v = env[name];
  if (v === undefined || v === '')
    throw new ConfigError(`the environment variable ${name} is not set (the CDK app sets it)`);
  return v as NonNullable<LambdaEnv[K]>;
}

/** For tests: forget the parsed environment. */
export function resetLambdaEnv(): void {
  parsed = undefined;
}
