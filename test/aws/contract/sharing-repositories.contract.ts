/**
 * The sharing repositories' contract (files, shares, audit): the SQLite repositories and the DynamoDB
 * ones run this same suite, so the sharing core gets one behaviour on either runtime. (Kept under
 * test/aws/ beside the adapters it was written for; it belongs with test/contract/*.contract.ts.)
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Share, StoredFile } from '../../../src/core/sharing/model.ts';
import type { AuditRepository, FileRepository, ShareRepository } from '../../../src/ports/repositories.ts';

export interface SharingFixture {
  files: FileRepository;
  shares: ShareRepository;
  audit: AuditRepository;
  cleanup(): Promise<void>;
}

const T0 = Date.parse('2026-03-01T12:00:00Z');
const at = (seconds: number) => new Date(T0 + seconds * 1000);

let n = 0;
const file = (over: Partial<StoredFile> = {}): StoredFile => {
  const id = `f_${++n}_${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    owner: 'alice',
    name: `${id}.txt`,
    size: 10,
    contentType: 'text/plain',
    sha256: null,
    status: 'pending',
    objectKey: `files/${id}`,
    createdAt: at(0),
    uploadExpiresAt: at(3600),
    ...over,
  };
};

const share = (fileIds: string[], over: Partial<Share> = {}): Share => ({
  id: `s${++n}${Math.random().toString(36).slice(2, 10)}`,
  owner: 'alice',
  kind: 'link',
  fileIds,
  recipients: [],
  createdAt: at(n),
  expiresAt: at(86400),
  maxDownloads: null,
  downloadCount: 0,
  passwordHash: null,
  status: 'active',
  revokedAt: null,
  ...over,
});

export function describeSharingRepositoriesContract(name: string, make: () => Promise<SharingFixture>): void {
  describe(`Sharing repositories contract: ${name}`, () => {
    let f: SharingFixture;
    beforeEach(async () => {
      f = await make();
    });
    afterEach(async () => {
      await f.cleanup();
    });

    const readyFile = async (over: Partial<StoredFile> = {}) => {
      const x = file(over);
      await f.files.insert(x);
      await f.files.markReady(x.id, { size: 10, sha256: 'ab'.repeat(32), contentType: 'text/plain' });
      return x;
    };
    const ids = (list: { id: string }[]) => list.map((x) => x.id).sort();

    it('gives back a file as it was inserted, and null for an unknown id', async () => {
      const x = file();
      await f.files.insert(x);
      expect(await f.files.get(x.id)).toEqual(x);
      expect(await f.files.get('f_nope')).toBeNull();
    });

    it('marks a pending upload ready with its size, hash and type, and never a deleted one', async () => {
      const x = file();
      await f.files.insert(x);
      await f.files.markReady(x.id, { size: 12, sha256: 'cd'.repeat(32), contentType: 'image/png' });
      expect(await f.files.get(x.id)).toMatchObject({
        status: 'ready',
        size: 12,
        sha256: 'cd'.repeat(32),
        contentType: 'image/png',
      });
      const y = file();
      await f.files.insert(y);
      await f.files.markDeleted(y.id);
      await f.files.markReady(y.id, { size: 1, sha256: 'ef'.repeat(32), contentType: 'text/plain' });
      expect(await f.files.get(y.id)).toMatchObject({ status: 'deleted' });
    });

    it('lists the pending uploads whose window closed before now, and only those', async () => {
      const stale = file({ uploadExpiresAt: at(10) });
      const fresh = file({ uploadExpiresAt: at(100) });
      const done = file({ uploadExpiresAt: at(10) });
      for (const x of [stale, fresh, done]) await f.files.insert(x);
      await f.files.markReady(done.id, { size: 10, sha256: 'ab'.repeat(32), contentType: 'text/plain' });
      expect(ids(await f.files.listStalePending(at(50), 10))).toEqual([stale.id]);
      expect(await f.files.listStalePending(at(10), 10)).toEqual([]);
      await f.files.markDeleted(stale.id);
      expect(await f.files.listStalePending(at(50), 10)).toEqual([]);
    });

    it('lists a ready file nobody shared only once its grace period is over', async () => {
      const x = await readyFile({ createdAt: at(0) });
      expect(await f.files.listUnshared(at(0), 10)).toEqual([]);
      expect(ids(await f.files.listUnshared(at(1), 10))).toEqual([x.id]);
    });

    it('keeps a shared file off the unshared list until its last active share is revoked', async () => {
      const x = await readyFile();
      const s1 = share([x.id]);
      const s2 = share([x.id]);
      await f.shares.insert(s1);
      await f.shares.insert(s2);
      expect(await f.files.listUnshared(at(999_999), 10)).toEqual([]);
      expect(await f.shares.revoke(s1.id, at(5))).toBe(true);
      expect(await f.files.listUnshared(at(999_999), 10)).toEqual([]);
      expect(await f.shares.revoke(s2.id, at(6))).toBe(true);
      // Its shares ended: no grace period any more.
      expect(ids(await f.files.listUnshared(at(0), 10))).toEqual([x.id]);
      await f.files.markDeleted(x.id);
      expect(await f.files.listUnshared(at(999_999), 10)).toEqual([]);
    });

    it('puts a file back on the unshared list when its share expires', async () => {
      const x = await readyFile();
      const s = share([x.id], { expiresAt: at(100) });
      await f.shares.insert(s);
      expect(await f.shares.expireDue(at(99), 10)).toEqual([]);
      expect(await f.files.listUnshared(at(999_999), 10)).toEqual([]);
      const expired = await f.shares.expireDue(at(100), 10);
      expect(expired).toEqual([expect.objectContaining({ id: s.id, status: 'expired' })]);
      expect(await f.shares.expireDue(at(200), 10)).toEqual([]);
      expect(await f.shares.get(s.id)).toMatchObject({ status: 'expired' });
      expect(ids(await f.files.listUnshared(at(0), 10))).toEqual([x.id]);
    });

    it('gives back a share as it was inserted, recipients in order', async () => {
      const x = await readyFile();
      const s = share([x.id], {
        kind: 'recipients',
        recipients: ['carol', 'bob'],
        maxDownloads: 3,
        passwordHash: 'scrypt$abc',
      });
      await f.shares.insert(s);
      expect(await f.shares.get(s.id)).toEqual({ ...s, recipients: ['bob', 'carol'] });
      expect(await f.shares.get('nope')).toBeNull();
    });

    it("lists an owner's shares newest first, page by page, and refuses a cursor it did not issue", async () => {
      const x = await readyFile();
      const made: string[] = [];
      for (let i = 0; i < 5; i++) {
        const s = share([x.id], { createdAt: at(100 + i) });
        await f.shares.insert(s);
        made.push(s.id);
      }
      await f.shares.insert(share([x.id], { owner: 'bob' }));
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await f.shares.listByOwner('alice', { limit: 2, ...(cursor ? { cursor } : {}) });
        seen.push(...page.items.map((s) => s.id));
        cursor = page.cursor;
        pages++;
      } while (cursor && pages < 10);
      expect(seen).toEqual([...made].reverse());
      expect(pages).toBe(3);
      await expect(f.shares.listByOwner('alice', { cursor: 'garbage' })).rejects.toMatchObject({
        code: 'CAIRN_INVALID_CURSOR',
      });
    });

    it('lists what a user received: only active, unexpired shares, newest first, page by page', async () => {
      const x = await readyFile();
      const live = [0, 1, 2].map((i) =>
        share([x.id], { kind: 'recipients', recipients: ['bob'], createdAt: at(10 + i) }),
      );
      const revoked = share([x.id], { kind: 'recipients', recipients: ['bob'], createdAt: at(20) });
      const old = share([x.id], { kind: 'recipients', recipients: ['bob'], createdAt: at(21), expiresAt: at(50) });
      const other = share([x.id], { kind: 'recipients', recipients: ['carol'], createdAt: at(22) });
      for (const s of [...live, revoked, old, other]) await f.shares.insert(s);
      await f.shares.revoke(revoked.id, at(30));
      const first = await f.shares.listReceived('bob', at(60), { limit: 2 });
      expect(first.items.map((s) => s.id)).toEqual([live[2]!.id, live[1]!.id]);
      const second = await f.shares.listReceived('bob', at(60), { limit: 2, cursor: first.cursor! });
      expect(second.items.map((s) => s.id)).toEqual([live[0]!.id]);
      expect(second.cursor).toBeUndefined();
    });

    it('counts downloads up to the limit and then refuses, as it refuses expired and revoked shares', async () => {
      const x = await readyFile();
      const s = share([x.id], { maxDownloads: 2, expiresAt: at(100) });
      await f.shares.insert(s);
      expect(await f.shares.claimDownload(s.id, at(1))).toMatchObject({ downloadCount: 1 });
      expect(await f.shares.claimDownload(s.id, at(2))).toMatchObject({ downloadCount: 2 });
      expect(await f.shares.claimDownload(s.id, at(3))).toBeNull();
      const unlimited = share([x.id], { expiresAt: at(100) });
      await f.shares.insert(unlimited);
      expect(await f.shares.claimDownload(unlimited.id, at(100))).toBeNull();
      expect(await f.shares.claimDownload(unlimited.id, at(99))).toMatchObject({ downloadCount: 1 });
      await f.shares.revoke(unlimited.id, at(99));
      expect(await f.shares.claimDownload(unlimited.id, at(99))).toBeNull();
      expect(await f.shares.claimDownload('nope', at(1))).toBeNull();
    });

    it('lets exactly maxDownloads of many concurrent downloads through', async () => {
      const x = await readyFile();
      const s = share([x.id], { maxDownloads: 3 });
      await f.shares.insert(s);
      const results = await Promise.all(Array.from({ length: 12 }, () => f.shares.claimDownload(s.id, at(1))));
      expect(results.filter((r) => r !== null)).toHaveLength(3);
      expect(await f.shares.get(s.id)).toMatchObject({ downloadCount: 3 });
    });

    it('revokes a share once, and revokes every active share of an owner', async () => {
      const x = await readyFile();
      const a = share([x.id]);
      const b = share([x.id]);
      const c = share([x.id], { owner: 'bob' });
      for (const s of [a, b, c]) await f.shares.insert(s);
      expect(await f.shares.revoke(a.id, at(5))).toBe(true);
      expect(await f.shares.revoke(a.id, at(6))).toBe(false);
      expect(await f.shares.get(a.id)).toMatchObject({ status: 'revoked', revokedAt: at(5) });
      expect(await f.shares.revokeAllByOwner('alice', at(7))).toEqual([b.id]);
      expect(await f.shares.get(c.id)).toMatchObject({ status: 'active' });
      expect(await f.shares.revoke('nope', at(8))).toBe(false);
    });

    it('records downloads and lists them newest first, page by page', async () => {
      for (let i = 0; i < 5; i++) {
        await f.audit.recordDownload({
          id: `d${i}`,
          shareId: 'share1',
          fileId: i % 2 ? `f${i}` : null,
          fileName: `n${i}`,
          actor: 'anonymous',
          ip: '203.0.113.9',
          userAgent: 'curl',
          at: at(i),
        });
      }
      const first = await f.audit.listDownloads('share1', { limit: 3 });
      expect(first.items.map((d) => d.id)).toEqual(['d4', 'd3', 'd2']);
      expect(first.items[1]).toEqual({
        id: 'd3',
        shareId: 'share1',
        fileId: 'f3',
        fileName: 'n3',
        actor: 'anonymous',
        ip: '203.0.113.9',
        userAgent: 'curl',
        at: at(3),
      });
      const second = await f.audit.listDownloads('share1', { limit: 3, cursor: first.cursor! });
      expect(second.items.map((d) => d.id)).toEqual(['d1', 'd0']);
      expect(second.cursor).toBeUndefined();
      expect((await f.audit.listDownloads('other', {})).items).toEqual([]);
    });
  });
}
