/**
 * The hot database's address from its Secrets Manager secret, as RDS writes it (JSON: host, port,
 * username, password, dbname, engine…), turned into a postgres:// URL for the Postgres hot target.
 * Read with GetSecretValue rather than SecretsManagerSecrets, which keeps string values only: RDS stores
 * `port` as a number. Cached for `ttlSeconds` (default 300), so a rotated password is picked up within
 * minutes; a failed read is not cached. The URL is never logged (it holds the password).
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock, type Clock } from '../../core/clock.ts';
import { targetInvalid } from '../local/backups/adapter-errors.ts';
import { awsCall } from './errors.ts';

/** How TLS is used: RDS forces it; `verify-full` checks the certificate (NODE_EXTRA_CA_CERTS: the RDS CAs). */
export type SslMode = 'verify-full' | 'no-verify' | 'disable';

export interface HotDatabaseSecretOptions {
  client: SecretsManagerClient;
  secretId: string;
  sslmode?: SslMode;
  /** The database when the secret names none (default `postgres`, Postgres's own default). */
  database?: string;
  ttlSeconds?: number;
  clock?: Clock;
}

/** The URL of the database a secret describes; throws CAIRN_BACKUP_HOT_TARGET_INVALID naming what is missing. */
export function hotDatabaseUrl(
  secret: unknown,
  o: { sslmode?: SslMode; database?: string; secretId?: string } = {},
): string {
  const s = (secret && typeof secret === 'object' && !Array.isArray(secret) ? secret : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof s[k] === 'string' && s[k] !== '' ? (s[k] as string) : undefined);
  const port = typeof s.port === 'number' ? s.port : Number(text('port') ?? 5432);
  const missing = ['host', 'username', 'password'].filter((k) => text(k) === undefined);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) missing.push('port (a number)');
  if (missing.length > 0)
    throw targetInvalid(
      `The hot database secret ${o.secretId ?? ''} must be RDS's JSON; it lacks ${missing.join(', ')}.`,
    );
  const e = encodeURIComponent;
  const host = text('host')!.includes(':') ? `[${text('host')}]` : text('host')!;
  const auth = `${e(text('username')!)}:${e(text('password')!)}`;
  const database = text('dbname') ?? o.database ?? 'postgres';
  return `postgres://${auth}@${host}:${port}/${e(database)}?sslmode=${o.sslmode ?? 'verify-full'}`;
}

export class HotDatabaseSecret {
  private cached: { at: number; url: Promise<string> } | null = null;
  private readonly clock: Clock;

  constructor(private readonly o: HotDatabaseSecretOptions) {
    this.clock = o.clock ?? systemClock;
  }

  url(): Promise<string> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > (this.o.ttlSeconds ?? 300) * 1000) {
      const url = this.load();
      url.catch(() => (this.cached = null));
      this.cached = { at: now, url };
    }
    return this.cached.url;
  }

  private async load(): Promise<string> {
    const out = await awsCall('Secrets Manager GetSecretValue', () =>
      this.o.client.send(new GetSecretValueCommand({ SecretId: this.o.secretId })),
    );
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(out.SecretString ?? '');
    } catch {
      // reported below as missing fields
    }
    return hotDatabaseUrl(parsed, { sslmode: this.o.sslmode, database: this.o.database, secretId: this.o.secretId });
  }
}
