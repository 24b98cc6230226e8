/** SecretsManagerSecrets against a mocked Secrets Manager client (aws-sdk-client-mock). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { SecretsManagerSecrets } from '../../src/adapters/aws/secrets-manager-secrets.ts';
import { ManualClock } from '../../src/core/clock.ts';

const sm = mockClient(SecretsManagerClient);
afterEach(() => sm.reset());

describe('SecretsManagerSecrets', () => {
  it('reads a JSON object of channel secrets once and serves it from memory until the TTL passes', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: '{"SLACK_URL":"https://hooks.example/x","N":3}' });
    const clock = new ManualClock();
    const secrets = new SecretsManagerSecrets({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      secretId: 'cairn/channels',
      clock,
      ttlSeconds: 60,
    });
    expect(await secrets.values()).toEqual({ SLACK_URL: 'https://hooks.example/x' });
    await secrets.values();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    clock.advance(61_000);
    await secrets.values();
    expect(sm.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret that is not a JSON object, naming the secret but not its value', async () => {
    sm.on(GetSecretValueCommand).resolves({ SecretString: 'hunter2' });
    const secrets = new SecretsManagerSecrets({
      client: new SecretsManagerClient({ region: 'us-east-1' }),
      secretId: 'cairn/channels',
    });
    const err = await secrets.values().catch((e: Error) => e);
    expect(err).toMatchObject({ code: 'CAIRN_CONFIG_INVALID' });
    expect((err as Error).message).toContain('cairn/channels');
    expect((err as Error).message).not.toContain('hunter2');
  });
});
