/**
 * CognitoIdentity with a mocked Cognito client (aws-sdk-client-mock) and the real aws-jwt-verify,
 * its JWKS cache filled with a key made here, so tokens are checked exactly as in production.
 */
import {
  AdminGetUserCommand,
  CognitoIdentityProviderClient,
  ListUsersCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { CognitoJwtVerifier } from 'aws-jwt-verify';
import { mockClient } from 'aws-sdk-client-mock';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CognitoIdentity } from '../../src/adapters/aws/cognito-identity.ts';
import { ManualClock } from '../../src/core/clock.ts';

const cognito = mockClient(CognitoIdentityProviderClient);
afterEach(() => cognito.reset());

const POOL = 'eu-west-1_TestPool1';
const CLIENT = 'client123';
const ISSUER = `https://cognito-idp.eu-west-1.amazonaws.com/${POOL}`;
let privateKey: CryptoKey;
let verifier: { verify(token: string): Promise<Record<string, unknown>> };

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  privateKey = pair.privateKey as CryptoKey;
  const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const v = CognitoJwtVerifier.create({ userPoolId: POOL, clientId: CLIENT, tokenUse: null });
  v.cacheJwks({ keys: [jwk as never] });
  verifier = v as never;
});

const token = (claims: Record<string, unknown>, opts: { issuer?: string; expiresIn?: string } = {}) =>
  new SignJWT({ token_use: 'id', aud: CLIENT, 'cognito:username': 'alice', ...claims })
    .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
    .setIssuer(opts.issuer ?? ISSUER)
    .setIssuedAt()
    .setExpirationTime(opts.expiresIn ?? '1h')
    .sign(privateKey);

const identity = (over: Partial<ConstructorParameters<typeof CognitoIdentity>[0]> = {}) =>
  new CognitoIdentity({
    client: new CognitoIdentityProviderClient({ region: 'eu-west-1' }),
    userPoolId: POOL,
    clientId: CLIENT,
    verifier,
    ...over,
  });

const alice = { Username: 'alice', Enabled: true, UserAttributes: [{ Name: 'name', Value: 'Alice A.' }] };

describe('CognitoIdentity', () => {
  it('accepts a valid ID token of the pool and makes admins of the admin group', async () => {
    cognito.on(AdminGetUserCommand).resolves(alice);
    expect(await identity().verify(await token({ 'cognito:groups': ['cairn-admins'] }))).toEqual({
      username: 'alice',
      displayName: 'Alice A.',
      admin: true,
    });
    expect(await identity().verify(await token({}))).toMatchObject({ admin: false });
  });

  it('refuses a token of another pool, another client, an expired one and garbage', async () => {
    cognito.on(AdminGetUserCommand).resolves(alice);
    const id = identity();
    expect(
      await id.verify(await token({}, { issuer: 'https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_Other' })),
    ).toBeNull();
    expect(await id.verify(await token({ aud: 'someone-else' }))).toBeNull();
    expect(await id.verify(await token({}, { expiresIn: '-1m' }))).toBeNull();
    expect(await id.verify('not.a.token')).toBeNull();
  });

  it('refuses the token of a user removed or disabled since it was issued', async () => {
    cognito.on(AdminGetUserCommand).resolves({ ...alice, Enabled: false });
    expect(await identity().verify(await token({}))).toBeNull();
    cognito.reset();
    cognito
      .on(AdminGetUserCommand)
      .rejects(Object.assign(new Error('gone'), { name: 'UserNotFoundException', $metadata: {} }));
    expect(await identity().verify(await token({}))).toBeNull();
  });

  it('finds users by username or name prefix with two filtered ListUsers calls, merged', async () => {
    cognito.on(ListUsersCommand).callsFake((input) =>
      input.Filter!.startsWith('username')
        ? { Users: [{ Username: 'alfred', Enabled: true, Attributes: [{ Name: 'name', Value: 'Alfred' }] }] }
        : {
            Users: [
              { Username: 'alice', Enabled: true, Attributes: [{ Name: 'name', Value: 'Alice A.' }] },
              { Username: 'alfred', Enabled: true },
              { Username: 'gone', Enabled: false },
            ],
          },
    );
    expect(await identity().findUsers('Al"', 5)).toEqual([
      { username: 'alfred', displayName: 'Alfred' },
      { username: 'alice', displayName: 'Alice A.' },
    ]);
    expect(cognito.commandCalls(ListUsersCommand).map((c) => c.args[0].input.Filter)).toEqual([
      'username ^= "Al\\""',
      'name ^= "Al\\""',
    ]);
  });

  it('rate limits searches per function instance and serves repeats from its cache', async () => {
    cognito.on(ListUsersCommand).resolves({ Users: [] });
    const clock = new ManualClock();
    const id = identity({ clock, searchBurst: 2, searchesPerSecond: 1 });
    await id.findUsers('a', 5);
    await id.findUsers('a', 5);
    await id.findUsers('b', 5);
    await expect(id.findUsers('c', 5)).rejects.toMatchObject({
      code: 'CAIRN_USER_SEARCH_RATE_LIMITED',
      kind: 'rate_limited',
    });
    clock.advance(1000);
    await expect(id.findUsers('c', 5)).resolves.toEqual([]);
  });
});
