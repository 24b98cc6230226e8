import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LocalKeyService } from './key-service.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-keys-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('LocalKeyService', () => {
  it('wraps a fresh 32-byte data key and unwraps it again', async () => {
    const keys = await LocalKeyService.open({ dataDir: dir });
    const dk = await keys.generateDataKey();
    expect(dk.plaintext).toHaveLength(32);
    expect(Buffer.from(dk.wrapped).includes(Buffer.from(dk.plaintext))).toBe(false);
    expect(Buffer.from(await keys.unwrap(dk.wrapped))).toEqual(Buffer.from(dk.plaintext));
  });

  it('creates master.key with mode 0600 on first use and reuses it afterwards', async () => {
    const first = await LocalKeyService.open({ dataDir: dir });
    const dk = await first.generateDataKey();
    expect((await stat(join(dir, 'master.key'))).mode & 0o777).toBe(0o600);
    const again = await LocalKeyService.open({ dataDir: dir });
    expect(Buffer.from(await again.unwrap(dk.wrapped))).toEqual(Buffer.from(dk.plaintext));
  });

  it('agrees on one master key when two processes start at once', async () => {
    const [a, b] = await Promise.all([LocalKeyService.open({ dataDir: dir }), LocalKeyService.open({ dataDir: dir })]);
    expect(a.urlSigningKey()).toEqual(b.urlSigningKey());
  });

  it('tightens a master.key that other users could read', async () => {
    await writeFile(join(dir, 'master.key'), randomBytes(32).toString('base64'), { mode: 0o644 });
    await chmod(join(dir, 'master.key'), 0o644);
    await LocalKeyService.open({ dataDir: dir });
    expect((await stat(join(dir, 'master.key'))).mode & 0o777).toBe(0o600);
  });

  it('refuses a master.key that does not hold 32 bytes', async () => {
    await writeFile(join(dir, 'master.key'), 'too short', { mode: 0o600 });
    await expect(LocalKeyService.open({ dataDir: dir })).rejects.toMatchObject({ code: 'CAIRN_MASTER_KEY_INVALID' });
  });

  it('takes the master key from base64 and writes no key file then', async () => {
    const b64 = randomBytes(32).toString('base64');
    const a = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: b64 });
    const b = await LocalKeyService.open({ dataDir: join(dir, 'elsewhere'), masterKeyBase64: b64 });
    const dk = await a.generateDataKey();
    expect(Buffer.from(await b.unwrap(dk.wrapped))).toEqual(Buffer.from(dk.plaintext));
    await expect(readFile(join(dir, 'master.key'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each(['not base64!', randomBytes(16).toString('base64'), randomBytes(33).toString('base64')])(
    'names CAIRN_MASTER_KEY when its value is wrong (%s)',
    async (value) => {
      const err = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: value }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'CAIRN_MASTER_KEY_INVALID' });
      expect((err as Error).message).toContain('CAIRN_MASTER_KEY');
    },
  );

  it('refuses to unwrap a key wrapped by another master key, or altered', async () => {
    const a = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: randomBytes(32).toString('base64') });
    const b = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: randomBytes(32).toString('base64') });
    const dk = await a.generateDataKey();
    await expect(b.unwrap(dk.wrapped)).rejects.toMatchObject({ code: 'CAIRN_KEY_UNWRAP_FAILED' });
    const altered = Buffer.from(dk.wrapped);
    altered[20]! ^= 1;
    await expect(a.unwrap(altered)).rejects.toMatchObject({ code: 'CAIRN_KEY_UNWRAP_FAILED' });
    await expect(a.unwrap(altered.subarray(1))).rejects.toMatchObject({ code: 'CAIRN_KEY_UNWRAP_FAILED' });
  });

  it('derives stable, independent keys per purpose', async () => {
    const b64 = randomBytes(32).toString('base64');
    const keys = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: b64 });
    expect(keys.urlSigningKey()).toHaveLength(32);
    expect(keys.urlSigningKey()).toEqual(keys.deriveKey('cairn/url-signing/v1'));
    expect(keys.urlSigningKey()).not.toEqual(keys.objectNamesKey());
    expect(keys.urlSigningKey()).not.toEqual(Buffer.from(b64, 'base64'));
  });
});
