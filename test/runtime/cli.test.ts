/**
 * The `cairn` CLI against a data directory that a running server also uses: users added on the command
 * line sign in to the server, and links printed by `share create` are links the server serves.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairnEnv, freePort, runCli } from '../helpers/child-server.ts';
import { expectError, type Json } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

describe('the cairn CLI', () => {
  let s: TestServer;
  let env: NodeJS.ProcessEnv;
  let admin: string;
  let filesDir: string;
  let shareId: string;
  let bob: string;

  beforeAll(async () => {
    const port = await freePort();
    s = await startTestServer({ CAIRN_PORT: String(port) }); // creates the admin account
    admin = await s.login();
    env = cairnEnv({ CAIRN_DATA_DIR: s.dataDir, CAIRN_PORT: String(port) });
    filesDir = mkdtempSync(join(tmpdir(), 'cairn-cli-files-'));
  });
  afterAll(async () => {
    await s.stop();
    rmSync(filesDir, { recursive: true, force: true });
  });

  it('adds a user with the password from standard input, who can then sign in', async () => {
    const add = await runCli(['user', 'add', 'bob', '--display-name', 'Bob B'], env, 'bob-cli-password\n');
    expect(add).toMatchObject({ code: 0, stdout: 'added bob\n' });
    bob = await s.login('bob', 'bob-cli-password');
    const me = (await (await s.api('/api/auth/me', { token: bob })).json()) as Json;
    expect(me).toEqual({ username: 'bob', displayName: 'Bob B', admin: false });
  });

  it('lists users with their display names', async () => {
    const list = await runCli(['user', 'list'], env);
    expect(list.code).toBe(0);
    expect(list.stdout.split('\n')).toEqual(expect.arrayContaining(['admin\tAdministrator\tadmin', 'bob\tBob B']));
  });

  it('creates a recipient share from a file and prints a link the server serves', async () => {
    const path = join(filesDir, 'minutes.txt');
    writeFileSync(path, 'minutes of the meeting');
    const created = await runCli(['share', 'create', path, '--to', 'bob', '--expires', '2d'], env);
    expect(created.code, created.stderr).toBe(0);
    const match = /^(http:\/\/127\.0\.0\.1:\d+)\/s\/([A-Za-z0-9]{32})\n$/.exec(created.stdout);
    expect(match, created.stdout).not.toBeNull();
    expect(match![1]).toBe(s.url);
    shareId = match![2]!;
    expect(created.stderr).toMatch(/for bob/);

    const view = (await (await s.api(`/api/shares/${shareId}`, { token: admin })).json()) as Json;
    expect(view).toMatchObject({ kind: 'recipients', recipients: ['bob'], status: 'active' });
    expect(new Date(view.expiresAt).getTime() - new Date(view.createdAt).getTime()).toBe(2 * 86400 * 1000);

    await expectError(await s.api(`/s/${shareId}/download`), 401, 'CAIRN_SIGN_IN_REQUIRED');
    const res = await s.api(`/s/${shareId}/download`, { token: bob });
    expect(res.status).toBe(302);
    expect(await (await fetch(res.headers.get('location')!)).text()).toBe('minutes of the meeting');
  });

  it('lists shares with their status, recipients and files', async () => {
    const list = await runCli(['share', 'list'], env);
    expect(list.code).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.startsWith(shareId));
    expect(line?.split('\t')).toEqual([shareId, 'active', expect.any(String), '1 downloads', 'to bob', 'minutes.txt']);
  });

  it('revokes a share: the server answers 410 at once', async () => {
    const revoked = await runCli(['share', 'revoke', shareId], env);
    expect(revoked).toMatchObject({ code: 0, stdout: `revoked ${shareId}\n` });
    await expectError(await s.api(`/s/${shareId}/download`, { token: bob }), 410, 'CAIRN_SHARE_REVOKED');
  });

  it('removes a user: their session stops working and they are no longer listed', async () => {
    const removed = await runCli(['user', 'remove', 'bob'], env);
    expect(removed).toMatchObject({ code: 0, stdout: 'removed bob\n' });
    await expectError(await s.api('/api/auth/me', { token: bob }), 401, 'CAIRN_TOKEN_INVALID');
    const users = (await (await s.api('/api/admin/users', { token: admin })).json()) as Json;
    expect(users.items.map((u: Json) => u.username)).toEqual(['admin']);
  });

  it('fails with a non-zero exit and the error code when the command cannot be done', async () => {
    const again = await runCli(['user', 'remove', 'bob'], env);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/CAIRN_USER_NOT_FOUND/);
  });
});
