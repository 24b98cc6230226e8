/**
 * SecretsManagerSecrets: channel and source secrets on AWS. One secret (a JSON object of names to
 * values, e.g. `{"SLACK_WEBHOOK_URL": "…", "GRAFANA_SECRET": "whsec_…"}`) stands in for the environment
 * variables cairn.yaml names with `secretEnv`/`routingKeyEnv`/`passwordEnv`: the Lambda composition
 * merges it over process.env and resolves channels exactly as the local runtime does. Values are read
 * once per cold start and cached for `ttlSeconds`; they never reach a log.
 */
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { systemClock, type Clock } from '../../core/clock.ts';
import { CairnError } from '../../core/errors.ts';
import { awsCall } from './errors.ts';

export interface SecretsManagerSecretsOptions {
  client: SecretsManagerClient;
  secretId: string;
  ttlSeconds?: number;
  clock?: Clock;
}

export class SecretsManagerSecrets {
  private cached: { at: number; values: Promise<Record<string, string>> } | null = null;
  private readonly clock: Clock;

  constructor(private readonly o: SecretsManagerSecretsOptions) {
    this.clock = o.clock ?? systemClock;
  }

  /** The secret's names and values. */
  values(): Promise<Record<string, string>> {
    const now = this.clock.now().getTime();
    if (!this.cached || now - this.cached.at > (this.o.ttlSeconds ?? 300) * 1000) {
      const values = this.load();
      values.catch(() => (this.cached = null));
      this.cached = { at: now, values };
    }
    return this.cached.values;
  }

  private async load(): Promise<Record<string, string>> {
    const out = await awsCall('Secrets Manager GetSecretValue', () =>
      this.o.client.send(new GetSecretValueCommand({ SecretId: this.o.secretId })),
    );
    let parsed: unknown;
    try {
      parsed = JSON.parse(out.SecretString ?? '');
    } catch {
      parsed = null;
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new CairnError(
        'CAIRN_CONFIG_INVALID',
        'internal',
        `The secret ${this.o.secretId} must hold a JSON object of names to string values.`,
      );
    }
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries(parsed)) if (typeof v === 'string') values[k] = v;
    return values;
  }
}
