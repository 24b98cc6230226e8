/**
 * Attacks on share links and presigned URLs: guessing by tampering, using them after they expired or
 * were revoked, reaching other users' files and shares, and opening recipient shares as someone else.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShare, downloadLocation, expectError, type Json, otherBase62, startUpload } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';

describe('share links and presigned URLs under attack', () => {
  let s: TestServer;
  let alice: string;
  let bob: string;

  beforeAll(async () => {
    s = await startTestServer();
    alice = await s.addUser('alice');
    bob = await s.addUser('bob');
  });
  afterAll(() => s.stop());

  describe('tampering', () => {
    it('answers 404 CAIRN_SHARE_NOT_FOUND when any single character of a share id is changed', async () => {
      const fileId = await s.upload(alice, 'tamper.txt', 'tamper me');
      const share = await createShare(s, alice, { fileIds: [fileId] });
      const id = share.id as string;
      expect(id).toHaveLength(32);
      for (let i = 0; i < id.length; i++) {
        const forged = id.slice(0, i) + otherBase62(id[i]!) + id.slice(i + 1);
        expect(forged).not.toBe(id);
        await expectError(await s.api(`/s/${forged}/info`), 404, 'CAIRN_SHARE_NOT_FOUND');
        await expectError(await s.api(`/s/${forged}/download`), 404, 'CAIRN_SHARE_NOT_FOUND');
      }
      // The genuine id still works, so the 404s above are due to the tampering alone.
      expect((await s.api(`/s/${id}/download`)).status).toBe(302);
    });

    it('answers 403 when any character of a presigned download URL is changed, in the path or the query', async () => {
      const secret = 'the plaintext that a forged URL must never reveal';
      const fileId = await s.upload(alice, 'report final.txt', secret);
      const share = await createShare(s, alice, { fileIds: [fileId] });
      const location = await downloadLocation(s, `/s/${share.id}/download`);
      const url = new URL(location);
      const target = url.pathname + url.search;
      expect(target).toMatch(/^\/o\/.+\?.*X-Cairn-Signature=[0-9a-f]{64}$/);

      let checked = 0;
      const skipped: number[] = [];
      for (let i = 0; i < target.length; i++) {
        const c = target[i]!;
        const replacement = /[A-Za-z0-9]/.test(c) ? otherBase62(c) : 'A';
        const forged = target.slice(0, i) + replacement + target.slice(i + 1);
        // Position 0 is the "/" that separates the authority from the path: changing it changes the
        // host (":port" + "Ao/..."), not the path, so there is no request to this server to make.
        if (i === 0) {
          skipped.push(i);
          continue;
        }
        // A change that URL parsing (fetch, browsers) undoes is not a change the server can see:
        // skip those. With the substitutions above (letters and digits for letters and digits, "A" for
        // punctuation) none is expected; the assertion after the loop keeps it that way.
        const parsed = new URL(url.origin + forged);
        if (parsed.pathname + parsed.search === target) {
          skipped.push(i);
          continue;
        }
        const res = await fetch(url.origin + forged, { redirect: 'manual' });
        if (i < 3) {
          // "/o/" is the route prefix, not part of the signed target: a change there leaves the object
          // endpoint (the web UI or a 404 answers). What matters is that no file bytes come back.
          const body = await res.text();
          expect(body, `position ${i}`).not.toContain(secret);
          expect(res.headers.get('content-disposition'), `position ${i}`).toBeNull();
        } else {
          const body = await expectError(res, 403, 'CAIRN_SIGNATURE_INVALID');
          expect(JSON.stringify(body)).not.toContain(secret);
        }
        checked += 1;
      }
      expect(skipped).toEqual([0]);
      expect(checked).toBe(target.length - 1);
      // The untouched URL still downloads: the 403s above come from the tampering alone.
      const genuine = await fetch(location);
      expect(genuine.status).toBe(200);
      expect(await genuine.text()).toBe(secret);
    });
  });

  describe('expiry', () => {
    it('answers 410 CAIRN_SHARE_EXPIRED once a link has expired', async () => {
      const fileId = await s.upload(alice, 'brief.txt', 'short-lived');
      const share = await createShare(s, alice, { fileIds: [fileId], expiresInSeconds: 600 });
      expect((await s.api(`/s/${share.id}/info`)).status).toBe(200);
      s.clock.advance(600 * 1000);
      await expectError(await s.api(`/s/${share.id}/download`), 410, 'CAIRN_SHARE_EXPIRED');
      await expectError(await s.api(`/s/${share.id}/info`), 410, 'CAIRN_SHARE_EXPIRED');
      await expectError(await s.api(`/s/${share.id}/files/${fileId}`), 410, 'CAIRN_SHARE_EXPIRED');
    });

    it('answers 403 CAIRN_URL_EXPIRED for a presigned download URL used after its expiry', async () => {
      const fileId = await s.upload(alice, 'presigned.txt', 'for one minute');
      const res = await s.api(`/api/files/${fileId}/presign`, {
        method: 'POST',
        token: alice,
        json: { expiresInSeconds: 60 },
      });
      expect(res.status).toBe(200);
      const { url } = (await res.json()) as Json;
      expect((await fetch(url)).status).toBe(200);
      s.clock.advance(60 * 1000);
      await expectError(await fetch(url), 403, 'CAIRN_URL_EXPIRED');
    });

    it('answers 403 CAIRN_URL_EXPIRED for the short-lived URL a share download redirected to, a minute later', async () => {
      const fileId = await s.upload(alice, 'redirected.txt', 'sixty seconds');
      const share = await createShare(s, alice, { fileIds: [fileId] });
      const location = await downloadLocation(s, `/s/${share.id}/download`);
      s.clock.advance(60 * 1000);
      await expectError(await fetch(location), 403, 'CAIRN_URL_EXPIRED');
    });

    it('refuses a presigned PUT URL reused after its expiry with 403', async () => {
      const body = 'first bytes';
      const up = await startUpload(s, alice, { name: 'put.txt', size: body.length, contentType: 'text/plain' });
      const first = await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body });
      expect(first.status).toBe(200);
      s.clock.advance(new Date(up.expiresAt).getTime() - s.clock.now().getTime());
      const again = await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body: 'other bytes' });
      await expectError(again, 403, 'CAIRN_URL_EXPIRED');
      // Nothing was replaced: the object holds the first bytes still.
      const head = await s.services.objects.head(`files/${up.fileId}`);
      expect(head?.size).toBe(body.length);
      alice = await s.login('alice', 'alice-password'); // the clock moved six hours: a fresh session
    });

    it('refuses a presigned PUT URL reused after the upload was completed, so shared bytes cannot be swapped', async () => {
      const up = await startUpload(s, alice, { name: 'swap.txt', size: 8, contentType: 'text/plain' });
      expect((await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body: 'original' })).status).toBe(200);
      const done = await s.api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token: alice });
      expect(done.status).toBe(200);
      const again = await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body: 'swapped!' });
      await expectError(again, 403, 'CAIRN_GRANT_REVOKED');
      const share = await createShare(s, alice, { fileIds: [up.fileId] });
      expect(await (await fetch(await downloadLocation(s, `/s/${share.id}/download`))).text()).toBe('original');
    });
  });

  describe('revocation', () => {
    it('answers 410 on the link and the zip route, and 403 on an already-issued presigned URL, once revoked', async () => {
      const a = await s.upload(alice, 'one.txt', 'first file');
      const b = await s.upload(alice, 'two.txt', 'second file');
      const share = await createShare(s, alice, { fileIds: [a, b] });
      const location = await downloadLocation(s, `/s/${share.id}/files/${a}`);
      expect((await fetch(location, { method: 'HEAD' })).status).toBe(200);

      const del = await s.api(`/api/shares/${share.id}`, { method: 'DELETE', token: alice });
      expect(del.status).toBe(204);

      await expectError(await s.api(`/s/${share.id}/info`), 410, 'CAIRN_SHARE_REVOKED');
      await expectError(await s.api(`/s/${share.id}/download`), 410, 'CAIRN_SHARE_REVOKED'); // the zip route
      await expectError(await s.api(`/s/${share.id}/files/${a}`), 410, 'CAIRN_SHARE_REVOKED');
      await expectError(await fetch(location), 403, 'CAIRN_GRANT_REVOKED');
      expect((await fetch(location, { method: 'HEAD' })).status).toBe(403);
    });
  });

  describe("other users' files and shares", () => {
    let aliceFile: string;
    let aliceShare: Json;

    beforeAll(async () => {
      aliceFile = await s.upload(alice, 'alice-only.txt', 'alice private bytes');
      aliceShare = await createShare(s, alice, { fileIds: [aliceFile] });
    });

    it("answers 404 when a share is created from another user's file id", async () => {
      const res = await s.api('/api/shares', { method: 'POST', token: bob, json: { fileIds: [aliceFile] } });
      await expectError(res, 404, 'CAIRN_FILE_NOT_FOUND');
    });

    it("answers 404 for another user's share id on GET, DELETE and /downloads, and the share keeps working for its owner", async () => {
      const id = aliceShare.id as string;
      await expectError(await s.api(`/api/shares/${id}`, { token: bob }), 404, 'CAIRN_SHARE_NOT_FOUND');
      await expectError(
        await s.api(`/api/shares/${id}`, { method: 'DELETE', token: bob }),
        404,
        'CAIRN_SHARE_NOT_FOUND',
      );
      await expectError(await s.api(`/api/shares/${id}/downloads`, { token: bob }), 404, 'CAIRN_SHARE_NOT_FOUND');

      const mine = (await (await s.api(`/api/shares/${id}`, { token: alice })).json()) as Json;
      expect(mine.status).toBe('active');
      const file = await fetch(await downloadLocation(s, `/s/${id}/download`));
      expect(await file.text()).toBe('alice private bytes');
      expect((await s.api(`/api/shares/${id}/downloads`, { token: alice })).status).toBe(200);
    });

    it("answers 404 when completing another user's upload", async () => {
      const up = await startUpload(s, alice, { name: 'pending.txt', size: 3 });
      expect((await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body: 'abc' })).status).toBe(200);
      const res = await s.api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token: bob });
      await expectError(res, 404, 'CAIRN_FILE_NOT_FOUND');
      // Still pending for its owner, who can complete it.
      expect((await s.api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token: alice })).status).toBe(200);
    });

    it("answers 404 when presigning another user's file", async () => {
      const res = await s.api(`/api/files/${aliceFile}/presign`, { method: 'POST', token: bob });
      await expectError(res, 404, 'CAIRN_FILE_NOT_FOUND');
      expect((await s.api(`/api/files/${aliceFile}/presign`, { method: 'POST', token: alice })).status).toBe(200);
    });
  });

  describe('recipient shares', () => {
    let share: Json;

    beforeAll(async () => {
      await s.addUser('carol');
      const fileId = await s.upload(alice, 'for-bob.txt', 'just for bob');
      share = await createShare(s, alice, { fileIds: [fileId], recipients: ['bob'] });
      expect(share.kind).toBe('recipients');
    });

    it('answers 401 CAIRN_SIGN_IN_REQUIRED to a download without a session', async () => {
      await expectError(await s.api(`/s/${share.id}/download`), 401, 'CAIRN_SIGN_IN_REQUIRED');
      await expectError(await s.api(`/s/${share.id}/files/${share.files[0].id}`), 401, 'CAIRN_SIGN_IN_REQUIRED');
    });

    it('answers 404 CAIRN_SHARE_NOT_FOUND to a signed-in user who is not a recipient', async () => {
      const carol = await s.login('carol', 'carol-password');
      await expectError(await s.api(`/s/${share.id}/download`, { token: carol }), 404, 'CAIRN_SHARE_NOT_FOUND');
      await expectError(await s.api(`/s/${share.id}/info`, { token: carol }), 404, 'CAIRN_SHARE_NOT_FOUND');
      expect((await s.api(`/s/${share.id}/download`, { token: bob })).status).toBe(302);
    });

    it('tells a visitor without a session that the share requires sign-in, and nothing about its files', async () => {
      const res = await s.api(`/s/${share.id}/info`);
      expect(res.status).toBe(200);
      const info = (await res.json()) as Json;
      expect(info.requiresSignIn).toBe(true);
      expect(info.files).toEqual([]);
      expect(JSON.stringify(info)).not.toContain('for-bob.txt');
      const asBob = (await (await s.api(`/s/${share.id}/info`, { token: bob })).json()) as Json;
      expect(asBob.requiresSignIn).toBe(false);
      expect(asBob.files.map((f: Json) => f.name)).toEqual(['for-bob.txt']);
    });
  });
});
