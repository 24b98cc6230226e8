import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../core/clock.ts';
import { MAX_EXPIRES_IN_SECONDS, UrlSigner } from './url-signer.ts';

const BASE = 'http://localhost:8787';
const make = (clock = new ManualClock()) => ({
  clock,
  signer: new UrlSigner({ baseUrl: `${BASE}/`, key: randomBytes(32), clock }),
});
const target = (url: string) => url.slice(BASE.length);

describe('UrlSigner', () => {
  it('signs a GET URL that verifies and carries its grant', () => {
    const { signer, clock } = make();
    const p = signer.sign({
      method: 'GET',
      key: 'files/f_1/report.pdf',
      expiresInSeconds: 60,
      downloadName: 'Q3 report.pdf',
      scope: 'share:abc',
    });
    expect(p.url.startsWith(`${BASE}/o/files/f_1/report.pdf?X-Cairn-Method=GET&X-Cairn-Expires=`)).toBe(true);
    expect(p.expiresAt.getTime()).toBe(clock.now().getTime() + 60_000);
    const v = signer.verify('GET', target(p.url));
    expect(v).toEqual({
      ok: true,
      grant: {
        method: 'GET',
        key: 'files/f_1/report.pdf',
        expiresAt: p.expiresAt,
        downloadName: 'Q3 report.pdf',
        scope: 'share:abc',
      },
    });
    expect(signer.verify('HEAD', target(p.url)).ok).toBe(true);
  });

  it('puts only the parameters that are set in the URL', () => {
    const { signer } = make();
    const url = signer.sign({ method: 'GET', key: 'k', expiresInSeconds: 5 }).url;
    expect(new URL(url).searchParams.has('X-Cairn-Name')).toBe(false);
    expect([...new URL(url).searchParams.keys()]).toEqual(['X-Cairn-Method', 'X-Cairn-Expires', 'X-Cairn-Signature']);
  });

  it('signs PUT with the size and content type, and tells the client which header to send', () => {
    const { signer } = make();
    const p = signer.sign({ method: 'PUT', key: 'up/1', expiresInSeconds: 900, size: 42, contentType: 'image/png' });
    expect(p.headers).toEqual({ 'Content-Type': 'image/png' });
    const v = signer.verify('PUT', target(p.url));
    expect(v.ok && v.grant).toMatchObject({ method: 'PUT', size: 42, contentType: 'image/png' });
  });

  it('refuses expiries beyond 7 days, non-integers and a PUT without size', () => {
    const { signer } = make();
    for (const s of [0, -1, 1.5, MAX_EXPIRES_IN_SECONDS + 1]) {
      expect(() => signer.sign({ method: 'GET', key: 'k', expiresInSeconds: s })).toThrow(
        expect.objectContaining({ code: 'CAIRN_INVALID_EXPIRY' }),
      );
    }
    expect(signer.sign({ method: 'GET', key: 'k', expiresInSeconds: MAX_EXPIRES_IN_SECONDS }).url).toContain(
      'X-Cairn-Expires=',
    );
    expect(() => signer.sign({ method: 'PUT', key: 'k', expiresInSeconds: 60 })).toThrow(
      expect.objectContaining({ code: 'CAIRN_PRESIGN_SIZE_REQUIRED' }),
    );
  });

  it('reports an expired URL from its expiry second on', () => {
    const { signer, clock } = make();
    const p = signer.sign({ method: 'GET', key: 'k', expiresInSeconds: 10 });
    clock.advance(9_999);
    expect(signer.verify('GET', target(p.url)).ok).toBe(true);
    clock.advance(1);
    expect(signer.verify('GET', target(p.url))).toEqual({ ok: false, reason: 'expired' });
  });

  it('reports the wrong method', () => {
    const { signer } = make();
    const get = signer.sign({ method: 'GET', key: 'k', expiresInSeconds: 10 });
    const put = signer.sign({ method: 'PUT', key: 'k', expiresInSeconds: 10, size: 1 });
    expect(signer.verify('PUT', target(get.url))).toEqual({ ok: false, reason: 'method', allowed: 'GET' });
    expect(signer.verify('DELETE', target(get.url))).toEqual({ ok: false, reason: 'method', allowed: 'GET' });
    expect(signer.verify('GET', target(put.url))).toEqual({ ok: false, reason: 'method', allowed: 'PUT' });
  });

  it('refuses a URL signed with another key', () => {
    const a = make().signer;
    const b = make().signer;
    expect(b.verify('GET', target(a.sign({ method: 'GET', key: 'k', expiresInSeconds: 10 }).url))).toEqual({
      ok: false,
      reason: 'signature',
    });
  });

  it('refuses every single-character change of the path and query, including equivalent spellings', () => {
    const { signer } = make();
    const p = signer.sign({
      method: 'PUT',
      key: "dir/ä b'(1)!.txt",
      expiresInSeconds: 60,
      size: 7,
      contentType: 'text/plain',
      scope: 's:1',
    });
    const t = target(p.url);
    const alphabet = ['a', 'A', '0', '%', '/', '&', '=', '+', '?', 'f', 'F', '2'];
    for (let i = 0; i < t.length; i++) {
      for (const c of alphabet) {
        if (c === t[i]) continue;
        const changed = t.slice(0, i) + c + t.slice(i + 1);
        expect(signer.verify('PUT', changed).ok, changed).toBe(false);
      }
    }
    expect(signer.verify('PUT', t.replace('%C3%A4', '%c3%a4')).ok).toBe(false);
    expect(signer.verify('PUT', t.replace('%20', '+')).ok).toBe(false);
    expect(signer.verify('PUT', `${t}&X-Cairn-Size=7`).ok).toBe(false);
    expect(signer.verify('PUT', t.replace('X-Cairn-Size=7&', '')).ok).toBe(false);
    expect(signer.verify('PUT', t).ok).toBe(true);
  });

  it('produces URLs that browsers and fetch leave byte-for-byte unchanged', () => {
    const { signer } = make();
    for (const key of ["a/b c/d'e(f)*!~.txt", 'ünï/çødé', 'x\\y', 'a//b', 'q?x=1#frag', '%41']) {
      const p = signer.sign({ method: 'GET', key, expiresInSeconds: 60, downloadName: `"${key}" <1>` });
      expect(new URL(p.url).href).toBe(p.url);
      const v = signer.verify('GET', target(new URL(p.url).href));
      expect(v.ok && v.grant.key).toBe(key);
    }
  });
});
