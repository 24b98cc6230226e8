/** The hot database's URL from its Secrets Manager secret (Secrets Manager mocked: no emulator here). */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { HotDatabaseSecret, hotDatabaseUrl } from '../../src/adapters/aws/hot-database-secret.ts';
import { ManualClock } from '../../src/core/clock.ts';

const rds = { engine: 'postgres', host: 'db.abc.eu-west-1.rds.amazonaws.com', port: 5432, username: 'cairn' };

describe('the hot database secret', () => {
  it("reads RDS's JSON (a numeric port, no dbname) into a URL that verifies TLS by default", () => {
    const url = new URL(hotDatabaseUrl({ ...rds, password: 'p@ss/wö:rd?#' }, { database: 'cairn' }));
    expect(url.host).toBe('db.abc.eu-west-1.rds.amazonaws.com:5432');
    expect(decodeURIComponent(url.password)).toBe('p@ss/wö:rd?#');
    expect(url.pathname).toBe('/cairn');
    expect(url.searchParams.get('sslmode')).toBe('verify-full');
    expect(hotDatabaseUrl({ ...rds, password: 'x', dbname: 'legacy', port: '6543' }, { database: 'cairn' })).toBe(
      'postgres://cairn:x@db.abc.eu-west-1.rds.amazonaws.com:6543/legacy?sslmode=verify-full',
    );
  });

  it('names every field the secret lacks', () => {
    expect(() => hotDatabaseUrl({ host: 'h', port: 'many' }, { secretId: 'cairn/hot' })).toThrow(
      /cairn\/hot.*lacks username, password, port \(a number\)/,
    );
    expect(() => hotDatabaseUrl('not json')).toThrow(
      expect.objectContaining({ code: 'CAIRN_BACKUP_HOT_TARGET_INVALID' }),
    );
  });

  it('reads the secret again after its TTL, so a rotated password is picked up', async () => {
    const client = new SecretsManagerClient({
      region: 'eu-west-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    });
    const mock = mockClient(client);
    mock
      .on(GetSecretValueCommand)
      .resolvesOnce({ SecretString: JSON.stringify({ ...rds, password: 'old' }) })
      .resolves({ SecretString: JSON.stringify({ ...rds, password: 'new' }) });
    const clock = new ManualClock();
    const secret = new HotDatabaseSecret({ client, secretId: 'cairn/hot', sslmode: 'disable', ttlSeconds: 300, clock });
    expect(await secret.url()).toContain(':old@');
    clock.advance(299_000);
    expect(await secret.url()).toContain(':old@');
    clock.advance(2_000);
    expect(await secret.url()).toBe(
      'postgres://cairn:new@db.abc.eu-west-1.rds.amazonaws.com:5432/postgres?sslmode=disable',
    );
    expect(mock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });
});
