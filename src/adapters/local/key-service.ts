/**
 * LocalKeyService: envelope-encryption data keys wrapped by one 32-byte master key (the local
 * stand-in for KMS). The master key comes from CAIRN_MASTER_KEY (base64) when set, otherwise from
 * `<dataDir>/master.key`, created on first use with mode 0600. The URL-signing key and any other
 * secret the local runtime needs are derived from it with HKDF, so there is one secret to back up.
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { constants as fsc } from 'node:fs';
import { chmod, link, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { CairnError } from '../../core/errors.ts';
import type { DataKey, KeyService } from '../../ports/key-service.ts';

export const MASTER_KEY_ENV = 'CAIRN_MASTER_KEY';
export const URL_SIGNING_INFO = 'cairn/url-signing/v1';
export const OBJECT_NAMES_INFO = 'cairn/object-names/v1';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const WRAP_VERSION = 1;
/** Binds a wrapped blob to its purpose, so it cannot be confused with other GCM output of this key. */
const WRAP_AAD = Buffer.from('cairn/data-key/v1');
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

export interface LocalKeyServiceOptions {
  /** Where master.key lives when no base64 key is given. */
  dataDir: string;
  /** The value of CAIRN_MASTER_KEY. Undefined or blank means "use <dataDir>/master.key". */
  masterKeyBase64?: string;
}

const keyError = (code: string, message: string, cause?: unknown) =>
  new CairnError(code, 'internal', message, cause === undefined ? undefined : { cause });

export class LocalKeyService implements KeyService {
  private constructor(private readonly master: Buffer) {}

  static async open(options: LocalKeyServiceOptions): Promise<LocalKeyService> {
    const b64 = options.masterKeyBase64?.trim();
    if (b64) return new LocalKeyService(parseMasterKey(b64));
    return new LocalKeyService(await loadOrCreateKeyFile(join(options.dataDir, 'master.key')));
  }

  async generateDataKey(): Promise<DataKey> {
    const plaintext = randomBytes(KEY_BYTES);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.master, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(WRAP_AAD);
    const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    const wrapped = Buffer.concat([Buffer.of(WRAP_VERSION), iv, body, cipher.getAuthTag()]);
    return { plaintext, wrapped };
  }

  async unwrap(wrapped: Uint8Array): Promise<Uint8Array> {
    const blob = Buffer.from(wrapped.buffer, wrapped.byteOffset, wrapped.byteLength);
    if (blob.length !== 1 + IV_BYTES + KEY_BYTES + TAG_BYTES || blob[0] !== WRAP_VERSION) {
      throw keyError('CAIRN_KEY_UNWRAP_FAILED', 'The wrapped data key has an unknown format.');
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.master, blob.subarray(1, 1 + IV_BYTES), {
        authTagLength: TAG_BYTES,
      });
      decipher.setAAD(WRAP_AAD);
      decipher.setAuthTag(blob.subarray(blob.length - TAG_BYTES));
      return Buffer.concat([decipher.update(blob.subarray(1 + IV_BYTES, blob.length - TAG_BYTES)), decipher.final()]);
    } catch (cause) {
      throw keyError(
        'CAIRN_KEY_UNWRAP_FAILED',
        'The data key was not wrapped by this master key (or was altered).',
        cause,
      );
    }
  }

  /** A 32-byte key for `info`, derived with HKDF-SHA256; independent of every other info string. */
  deriveKey(info: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.master, Buffer.alloc(0), info, KEY_BYTES));
  }

  /** The HMAC key for presigned URLs (HKDF info "cairn/url-signing/v1"). */
  urlSigningKey(): Buffer {
    return this.deriveKey(URL_SIGNING_INFO);
  }

  /** The HMAC key that turns object keys into file names (HKDF info "cairn/object-names/v1"). */
  objectNamesKey(): Buffer {
    return this.deriveKey(OBJECT_NAMES_INFO);
  }
}

function parseMasterKey(b64: string): Buffer {
  const key = BASE64.test(b64) ? Buffer.from(b64, 'base64') : undefined;
  if (key?.length !== KEY_BYTES) {
    throw keyError(
      'CAIRN_MASTER_KEY_INVALID',
      `${MASTER_KEY_ENV} must be 32 random bytes in base64 (44 characters), e.g. the output of ` +
        '`openssl rand -base64 32`.',
    );
  }
  return key;
}

async function loadOrCreateKeyFile(path: string): Promise<Buffer> {
  try {
    return await readKeyFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
  }
  await createKeyFile(path);
  return readKeyFile(path);
}

async function readKeyFile(path: string): Promise<Buffer> {
  const info = await stat(path);
  if (!info.isFile()) throw keyError('CAIRN_MASTER_KEY_INVALID', `${path} is not a regular file.`);
  if ((info.mode & 0o077) !== 0) {
    // Others could read it: tighten rather than refuse to start, since the key itself is still needed.
    try {
      await chmod(path, 0o600);
    } catch (cause) {
      throw keyError(
        'CAIRN_MASTER_KEY_PERMISSIONS',
        `${path} is readable by other users (mode ${(info.mode & 0o777).toString(8)}) and could not be ` +
          `restricted to 0600; fix its permissions or set ${MASTER_KEY_ENV}.`,
        cause,
      );
    }
  }
  const text = (await readFile(path, 'utf8')).trim();
  try {
    return parseMasterKey(text);
  } catch {
    throw keyError('CAIRN_MASTER_KEY_INVALID', `${path} does not hold a base64 32-byte key.`);
  }
}

/**
 * Writes a fresh key to a private temp file, fsyncs it, then link()s it into place: link fails if the
 * name exists, so two processes starting at once agree on one key and nobody reads a half-written file.
 */
async function createKeyFile(path: string): Promise<void> {
  const dir = join(path, '..');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = `${path}.${randomBytes(8).toString('hex')}.tmp`;
  const fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o600);
  try {
    await fh.writeFile(`${randomBytes(KEY_BYTES).toString('base64')}\n`);
    await fh.sync();
  } finally {
    await fh.close();
  }
  try {
    await link(tmp, path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  } finally {
    await unlink(tmp);
  }
  const dh = await open(dir, 'r');
  try {
    await dh.sync();
  } finally {
    await dh.close();
  }
}
