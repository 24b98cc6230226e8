/**
 * Attacks through what users upload: hostile file names (path traversal, control and bidi characters,
 * header injection), active content (HTML, SVG) served from the server's origin, and plaintext left on
 * the disk.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { get } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createShare, downloadLocation, expectError, type Json, startUpload } from '../helpers/http.ts';
import { type TestServer, startTestServer } from '../helpers/server.ts';
import { readZip } from '../helpers/zip.ts';

/** A GET that shows the headers exactly as sent (repeated headers stay separate). */
function rawGet(url: string): Promise<{ status: number; rawHeaders: string[]; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, rawHeaders: res.rawHeaders, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    }).on('error', reject);
  });
}

/** attachment; filename="<printable ASCII, no quote or backslash>"; filename*=UTF-8''<RFC 3986 unreserved or %XX> */
const WELL_FORMED_DISPOSITION =
  /^attachment; filename="[\x20\x21\x23-\x5b\x5d-\x7e]+"; filename\*=UTF-8''(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})+$/;
const UNSAFE_IN_NAME = /[/\\\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('uploaded content under attack', () => {
  let s: TestServer;
  let admin: string;

  beforeAll(async () => {
    s = await startTestServer();
    admin = await s.login();
  });
  afterAll(() => s.stop());

  describe('hostile file names', () => {
    const cases: [string, string][] = [
      ['../../etc/passwd', 'passwd'],
      ['..\\..\\win.ini', 'win.ini'],
      ['a\u0000b.txt', 'ab.txt'],
      ['evil\u202Etxt.exe', 'eviltxt.exe'],
      ['\r\nSet-Cookie: x=1.txt', 'Set-Cookie: x=1.txt'],
    ];
    const fileIds: string[] = [];

    for (const [raw, expected] of cases) {
      it(`stores ${JSON.stringify(raw)} as ${JSON.stringify(expected)} and sends one well-formed Content-Disposition`, async () => {
        const fileId = await s.upload(admin, raw, `contents of ${expected}`);
        fileIds.push(fileId);
        const share = await createShare(s, admin, { fileIds: [fileId] });
        expect(share.files[0].name).toBe(expected);
        expect(share.files[0].name).not.toMatch(UNSAFE_IN_NAME);

        const res = await rawGet(await downloadLocation(s, `/s/${share.id}/download`));
        expect(res.status).toBe(200);
        const names = res.rawHeaders.filter((_, i) => i % 2 === 0).map((h) => h.toLowerCase());
        expect(names.filter((h) => h === 'content-disposition')).toHaveLength(1);
        expect(names).not.toContain('set-cookie');
        const disposition =
          res.rawHeaders[res.rawHeaders.findIndex((h) => h.toLowerCase() === 'content-disposition') + 1]!;
        expect(disposition).toMatch(WELL_FORMED_DISPOSITION);
        const star = /filename\*=UTF-8''(.+)$/.exec(disposition)![1]!;
        expect(decodeURIComponent(star)).toBe(expected);
        expect(res.body.toString('utf8')).toBe(`contents of ${expected}`);
      });
    }

    it('keeps hostile names inside a zip of several files: no entry has a path separator', async () => {
      expect(fileIds).toHaveLength(cases.length);
      const share = await createShare(s, admin, { fileIds });
      const res = await s.api(`/s/${share.id}/download`);
      expect(res.status).toBe(200);
      const entries = await readZip(Buffer.from(await res.arrayBuffer()));
      expect(Object.keys(entries).sort()).toEqual(cases.map(([, name]) => name).sort());
      for (const name of Object.keys(entries)) expect(name).not.toMatch(UNSAFE_IN_NAME);
    });

    for (const raw of ['..', '...', '../..', '/', '\\', './.', '..\\..\\', ' . . ', '\u202E..', '\u0000/\u0000']) {
      it(`refuses the name ${JSON.stringify(raw)} with 400 CAIRN_INVALID_FILE_NAME`, async () => {
        const res = await s.api('/api/uploads', { method: 'POST', token: admin, json: { name: raw, size: 1 } });
        await expectError(res, 400, 'CAIRN_INVALID_FILE_NAME');
      });
    }
  });

  describe('active content', () => {
    const script = '<script>document.title = "owned"; fetch("/api/shares")</script>';
    const cases: [string, string, string][] = [
      ['page.html', 'text/html', `<!doctype html><html><body>${script}</body></html>`],
      ['image.svg', 'image/svg+xml', `<svg xmlns="http://www.w3.org/2000/svg">${script}</svg>`],
      ['upper.html', 'TEXT/HTML; charset=utf-8', `<html>${script}</html>`],
      ['page.xhtml', 'application/xhtml+xml', `<html xmlns="http://www.w3.org/1999/xhtml">${script}</html>`],
    ];

    const expectInert = (headers: Headers, where: string) => {
      expect(headers.get('content-disposition'), where).toMatch(/^attachment;/);
      expect(headers.get('x-content-type-options'), where).toBe('nosniff');
      expect(headers.get('content-type'), where).toBe('application/octet-stream');
      expect(headers.get('content-security-policy'), where).toMatch(/(^|;\s*)sandbox(;|$)/);
    };

    for (const [name, contentType, body] of cases) {
      it(`serves ${name} (${contentType}) as an inert attachment with nosniff and a sandboxing CSP`, async () => {
        const up = (await startUpload(s, admin, { name, size: Buffer.byteLength(body), contentType })) as Json;
        expect((await fetch(up.uploadUrl, { method: 'PUT', headers: up.headers, body })).status).toBe(200);
        expect((await s.api(`/api/uploads/${up.fileId}/complete`, { method: 'POST', token: admin })).status).toBe(200);

        const share = await createShare(s, admin, { fileIds: [up.fileId] });
        const viaShare = await fetch(await downloadLocation(s, `/s/${share.id}/download`));
        expect(viaShare.status).toBe(200);
        expectInert(viaShare.headers, 'share download');
        expect(await viaShare.text()).toBe(body);

        const presigned = (await (
          await s.api(`/api/files/${up.fileId}/presign`, { method: 'POST', token: admin })
        ).json()) as Json;
        const head = await fetch(presigned.url, { method: 'HEAD' });
        expect(head.status).toBe(200);
        expectInert(head.headers, 'owner presigned HEAD');
        expectInert((await fetch(presigned.url)).headers, 'owner presigned GET');
      });
    }
  });

  describe('encryption at rest', () => {
    it('leaves no plaintext of an uploaded file anywhere under the data directory, database and WAL included', async () => {
      // 200 KB of text in which every 32-byte slice is unique (a counter runs through it).
      let text = '';
      for (let i = 0; text.length < 200 * 1024; i++)
        text += `cairn-plaintext-canary line ${i.toString(36)} ${(i * 7919).toString(16)}\n`;
      const bytes = Buffer.from(text, 'utf8');
      const name = 'canary-name-7f3a9c1e.txt';
      const fileId = await s.upload(admin, name, bytes);
      const share = await createShare(s, admin, { fileIds: [fileId], password: 'canary password' });
      expect(share.files[0].size).toBe(bytes.length);

      const files: string[] = [];
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir)) {
          const path = join(dir, entry);
          if (statSync(path).isDirectory()) walk(path);
          else files.push(path);
        }
      };
      walk(s.dataDir);
      expect(files.some((f) => f.endsWith('cairn.db'))).toBe(true);
      expect(files.some((f) => f.endsWith('cairn.db-wal'))).toBe(true);
      expect(files.some((f) => f.includes(`${join('objects', '')}`))).toBe(true);

      const slices = [0, 1, 4096, 65_536, 100_003, bytes.length - 32].map((at) => bytes.subarray(at, at + 32));
      const contents = files.map((f) => ({ f, data: readFileSync(f) }));
      // The scan sees what is stored in the clear (the file name sits in the database): it can fail.
      expect(contents.some(({ data }) => data.includes(Buffer.from(name)))).toBe(true);
      for (const { f, data } of contents) {
        for (const slice of slices) expect(data.includes(slice), `${f} holds plaintext`).toBe(false);
        expect(data.includes(Buffer.from('canary password')), `${f} holds the share password`).toBe(false);
      }
      // …and the file still reads back whole.
      const location = await downloadLocation(s, `/s/${share.id}/download`, { token: admin });
      expect(Buffer.from(await (await fetch(location)).arrayBuffer()).equals(bytes)).toBe(true);
    });
  });
});
