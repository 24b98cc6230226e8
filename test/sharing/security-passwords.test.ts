/**
 * Password guessing: share passwords and account passwords, with fixed-window limits per share, per
 * account and per address that a forged X-Forwarded-For must not escape.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShare, expectError, type Json } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

const FIFTEEN_MINUTES = 15 * 60 * 1000;

const unlock = (s: TestServer, id: string, password: string, headers: Record<string, string> = {}) =>
  s.api(`/s/${id}/unlock`, { method: 'POST', json: { password }, headers });

const signIn = (s: TestServer, username: string, password: string, headers: Record<string, string> = {}) =>
  s.api('/api/auth/login', { method: 'POST', json: { username, password }, headers });

describe('share password guessing', () => {
  let s: TestServer;
  let admin: string;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  afterAll(() => s.stop());

  const lockedShare = async () => {
    const fileId = await s.upload(admin, 'vault.txt', 'behind a password');
    return (await createShare(s, admin, { fileIds: [fileId], password: 'correct horse' })).id as string;
  };

  it('answers 429 with Retry-After after 5 wrong passwords, refuses even the right one while locked, and accepts it after 15 minutes', async () => {
    const id = await lockedShare();
    for (let i = 0; i < 5; i++) await expectError(await unlock(s, id, `guess ${i}`), 401, 'CAIRN_SHARE_PASSWORD_WRONG');

    const locked = await unlock(s, id, 'guess 5');
    expect(locked.headers.get('retry-after')).toBe('900');
    await expectError(locked, 429, 'CAIRN_SHARE_PASSWORD_RATE_LIMITED');
    const right = await unlock(s, id, 'correct horse');
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    await expectError(right, 429, 'CAIRN_SHARE_PASSWORD_RATE_LIMITED');

    s.clock.advance(FIFTEEN_MINUTES - 1000);
    const almost = await unlock(s, id, 'correct horse');
    expect(almost.headers.get('retry-after')).toBe('1');
    await expectError(almost, 429, 'CAIRN_SHARE_PASSWORD_RATE_LIMITED');

    s.clock.advance(1000);
    const after = await unlock(s, id, 'correct horse');
    expect(after.status).toBe(204);
    const cookie = after.headers.get('set-cookie')!.split(';')[0]!;
    expect((await s.api(`/s/${id}/download`, { headers: { cookie, 'sec-fetch-site': 'same-origin' } })).status).toBe(
      302,
    );
  });

  it('lets only 5 of 40 parallel guesses be checked: a burst cannot outrun the limit', async () => {
    const id = await lockedShare();
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => unlock(s, id, `burst ${i}`)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((st) => st === 401)).toHaveLength(5);
    expect(statuses.filter((st) => st === 429)).toHaveLength(35);
    await Promise.all(answers.map((r) => r.arrayBuffer()));
  });

  it('does not let rotating X-Forwarded-For values escape the password limit (trustProxy is off)', async () => {
    // The limit holds per share and address and, as a second guard, per share alone; the sign-in
    // address limit below is where an honoured X-Forwarded-For would show on its own.
    const id = await lockedShare();
    for (let i = 0; i < 5; i++) {
      const res = await unlock(s, id, `guess ${i}`, { 'x-forwarded-for': `203.0.113.${i}` });
      await expectError(res, 401, 'CAIRN_SHARE_PASSWORD_WRONG');
    }
    const res = await unlock(s, id, 'correct horse', { 'x-forwarded-for': '198.51.100.77' });
    await expectError(res, 429, 'CAIRN_SHARE_PASSWORD_RATE_LIMITED');
  });

  it('counts guesses per share: another share stays open', async () => {
    const id = await lockedShare();
    expect((await unlock(s, id, 'correct horse')).status).toBe(204);
  });

  it('does not reveal the file names of a password-protected share before it is unlocked', async () => {
    const id = await lockedShare();
    const before = (await (await s.api(`/s/${id}/info`)).json()) as Json;
    expect(before).toMatchObject({ requiresPassword: true, unlocked: false, files: [] });
    const opened = await unlock(s, id, 'correct horse');
    expect(opened.status).toBe(204);
    const cookie = opened.headers.get('set-cookie')!.split(';')[0]!;
    const after = (await (await s.api(`/s/${id}/info`, { headers: { cookie } })).json()) as Json;
    expect(after).toMatchObject({ unlocked: true, files: [{ name: 'vault.txt' }] });
  });
});

describe('sign-in guessing', () => {
  let s: TestServer;
  let configDir: string;

  beforeAll(async () => {
    // The per-account limit keeps its default (5 per 15 min); the address limit (default 30) is set
    // lower so that reaching it costs fewer scrypt verifications.
    configDir = mkdtempSync(join(tmpdir(), 'cairn-auth-config-'));
    const config = join(configDir, 'cairn.yaml');
    writeFileSync(config, 'auth:\n  signInAttemptsPerAddress:\n    limit: 8\n    window: 15m\n');
    s = await startTestServer({ CAIRN_CONFIG: config });
    await s.services.users.addUser({ username: 'bob', password: 'bob-password' });
    await s.services.users.addUser({ username: 'alice', password: 'alice-password' });
  });
  afterAll(async () => {
    await s.stop();
    rmSync(configDir, { recursive: true, force: true });
  });

  it('locks one account after 5 wrong passwords with 429 and Retry-After, refuses the right password, and not other accounts', async () => {
    for (let i = 0; i < 5; i++) await expectError(await signIn(s, 'bob', `wrong ${i}`), 401, 'CAIRN_BAD_CREDENTIALS');

    const locked = await signIn(s, 'bob', 'bob-password');
    expect(locked.headers.get('retry-after')).toBe('900');
    const body = await expectError(locked, 429, 'CAIRN_SIGN_IN_RATE_LIMITED');
    expect(body.error.message).toMatch(/for this account/);
    expect(locked.headers.get('set-cookie')).toBeNull();
    // Changing the case of the name is the same account.
    await expectError(await signIn(s, 'BOB', 'bob-password'), 429, 'CAIRN_SIGN_IN_RATE_LIMITED');

    expect((await signIn(s, 'alice', 'alice-password')).status).toBe(200);

    s.clock.advance(FIFTEEN_MINUTES);
    expect((await signIn(s, 'bob', 'bob-password')).status).toBe(200);
  });

  it('limits one address across accounts, even with rotating X-Forwarded-For values', async () => {
    // Unknown accounts, one guess each, so no account limit is reached: only the address limit can stop this.
    for (let i = 0; i < 8; i++) {
      const res = await signIn(s, `ghost-${i}`, 'password', { 'x-forwarded-for': `6.6.6.${i}` });
      await expectError(res, 401, 'CAIRN_BAD_CREDENTIALS');
    }
    const res = await signIn(s, 'alice', 'alice-password', { 'x-forwarded-for': '7.7.7.7' });
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    const body = await expectError(res, 429, 'CAIRN_SIGN_IN_RATE_LIMITED');
    expect(body.error.message).toMatch(/from your address/);

    s.clock.advance(FIFTEEN_MINUTES);
    expect((await signIn(s, 'alice', 'alice-password')).status).toBe(200);
  });
});
