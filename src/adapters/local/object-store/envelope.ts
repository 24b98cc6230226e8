/**
 * Streaming envelope encryption for objects on disk (the STREAM construction, Hoang-Reyhanitabar-
 * Rogaway-Vizár 2015, with AES-256-GCM). One fresh data key per object, wrapped by the KeyService.
 *
 *   header   "CAIRNOBJ" | version u8 | frameSize u32 | noncePrefix[7] | wrappedLen u16 | wrappedKey
 *   frame i  AES-GCM(plaintext[i*F .. (i+1)*F]) | tag[16]          for i in 0..n-1, final flag 0
 *   trailer  AES-GCM(JSON metadata) | tag[16]                      frame index n, final flag 1
 *            trailerLen u32 (length of the sealed trailer, tag included)
 *
 * Frame i uses nonce = prefix | i (u32) | final (u8) and AAD = sha256(header) | i (u32) | final (u8),
 * so the header is authenticated by every frame, and reordering, swapping, dropping or truncating
 * frames, or flipping any bit anywhere, fails a GCM check.
 *
 * Why a trailer rather than a header rewritten at the end: the size and sha256 are only known after
 * the last byte, and a trailer lets us seal each data frame as its bytes arrive (data frames never
 * carry the "final" flag, so no look-ahead is needed and no frame is ever buffered in plaintext),
 * with a single sequential write and no seek-back. The reader finds the trailer through the last 4
 * bytes; a lying length lands on bytes that fail GCM. The trailer also holds the object's key, so a
 * file moved to another key's place is detected, and the content type, so nothing readable is on disk.
 */
import { createCipheriv, createDecipheriv, createHash, createSecretKey, randomBytes } from 'node:crypto';
import type { CipherGCM, KeyObject } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CairnError, invalid } from '../../../core/errors.ts';
import type { KeyService } from '../../../ports/key-service.ts';

/**
 * 64 KiB: a reader must hold a whole frame to verify it before releasing it, so the frame size is the
 * memory each concurrent download pins. Measured CPU per GiB is the same for 64 KiB and 1 MiB frames
 * (large outputs cost page faults), and reads are batched so that small frames cost no extra syscalls.
 */
export const DEFAULT_FRAME_SIZE = 64 * 1024;
const MAGIC = Buffer.from('CAIRNOBJ', 'latin1');
const VERSION = 1;
const TAG = 16;
const PREFIX = 7;
const FIXED_HEADER = MAGIC.length + 1 + 4 + PREFIX + 2;
const MIN_FRAME = 16;
const MAX_FRAME = 16 << 20;
const MAX_WRAPPED = 1024;
const MAX_TRAILER = 64 * 1024;
/** Read-ahead of sealed frames, shared by all open downloads (see DecryptingReadable). */
const READ_BUDGET = 16 << 20;
const MAX_READ_BATCH = 1 << 20;

/** What the trailer records about the plaintext. */
export interface EnvelopeMeta {
  key: string;
  contentType: string;
  size: number;
  sha256: string;
  createdAt: string;
}

export interface WriteEnvelopeOptions {
  keys: KeyService;
  key: string;
  contentType: string;
  createdAt: Date;
  /** When set, reading stops as soon as the body outgrows it, and a shorter body is refused too. */
  expectedSize?: number;
  frameSize?: number;
}

export const tampered = (message: string, cause?: unknown) =>
  new CairnError('CAIRN_OBJECT_TAMPERED', 'internal', message, cause === undefined ? undefined : { cause });

const sizeMismatch = (expected: number, got: string) =>
  invalid('CAIRN_UPLOAD_SIZE_MISMATCH', `The body is ${got} bytes; ${expected} were announced.`, { expected });

/** Nonces and AAD of one object's frames. */
class FrameKeys {
  constructor(
    private readonly key: KeyObject,
    private readonly prefix: Buffer,
    private readonly headerHash: Buffer,
  ) {}

  private tail(index: number, final: boolean): Buffer {
    const b = Buffer.allocUnsafe(5);
    b.writeUInt32BE(index, 0);
    b[4] = final ? 1 : 0;
    return b;
  }

  seal(index: number, final: boolean): CipherGCM {
    const tail = this.tail(index, final);
    const c = createCipheriv('aes-256-gcm', this.key, Buffer.concat([this.prefix, tail]), { authTagLength: TAG });
    c.setAAD(Buffer.concat([this.headerHash, tail]));
    return c;
  }

  open(index: number, final: boolean, body: Uint8Array, tag: Uint8Array): Buffer {
    const tail = this.tail(index, final);
    const d = createDecipheriv('aes-256-gcm', this.key, Buffer.concat([this.prefix, tail]), { authTagLength: TAG });
    d.setAAD(Buffer.concat([this.headerHash, tail]));
    d.setAuthTag(tag);
    const out = d.update(body);
    d.final(); // throws when the tag does not match
    return out;
  }
}

/** Where sealed bytes go, in order (DiskObjectStore's FileSink writes them to a temp file). */
export interface SealedSink {
  push(bytes: Buffer): void;
  /** Lets the sink write out what it holds once it is large; awaited after every body chunk. */
  flushIfFull(): Promise<void>;
  /** Writes out everything; throws the first write error. */
  drain(): Promise<void>;
  /** Waits for I/O in flight after a failure, ignoring its outcome. */
  settle(): Promise<void>;
}

/**
 * Encrypts `body` into `out` and returns the metadata sealed into the trailer. The caller makes the
 * result durable; on error it discards what was written.
 */
export async function writeEnvelope(
  out: SealedSink,
  body: AsyncIterable<Uint8Array>,
  options: WriteEnvelopeOptions,
): Promise<EnvelopeMeta> {
  const frameSize = options.frameSize ?? DEFAULT_FRAME_SIZE;
  if (!Number.isInteger(frameSize) || frameSize < MIN_FRAME || frameSize > MAX_FRAME) {
    throw new RangeError(`frameSize must be an integer in [${MIN_FRAME}, ${MAX_FRAME}]`);
  }
  const expected = options.expectedSize;
  const dataKey = await options.keys.generateDataKey();
  const key = createSecretKey(dataKey.plaintext);
  dataKey.plaintext.fill(0);
  const prefix = randomBytes(PREFIX);
  const header = encodeHeader(frameSize, prefix, dataKey.wrapped);
  const frames = new FrameKeys(key, prefix, createHash('sha256').update(header).digest());
  out.push(header);

  const hash = createHash('sha256');
  let total = 0;
  let index = 0;
  let inFrame = 0;
  let cipher: CipherGCM | undefined;
  try {
    for await (const chunk of body) {
      if (!(chunk instanceof Uint8Array)) throw new TypeError('object bodies must yield bytes, not strings');
      const len = chunk.byteLength;
      total += len;
      if (expected !== undefined && total > expected) throw sizeMismatch(expected, `more than ${expected}`);
      hash.update(chunk);
      for (let off = 0; off < len;) {
        cipher ??= frames.seal(index, false);
        const take = Math.min(frameSize - inFrame, len - off);
        out.push(cipher.update(take === len ? chunk : chunk.subarray(off, off + take)));
        off += take;
        inFrame += take;
        if (inFrame === frameSize) {
          cipher.final();
          out.push(cipher.getAuthTag());
          cipher = undefined;
          inFrame = 0;
          index += 1;
        }
      }
      await out.flushIfFull();
    }
    if (cipher) {
      cipher.final();
      out.push(cipher.getAuthTag());
      index += 1;
    }
    if (expected !== undefined && total !== expected) throw sizeMismatch(expected, String(total));

    const meta: EnvelopeMeta = {
      key: options.key,
      contentType: options.contentType,
      size: total,
      sha256: hash.digest('hex'),
      createdAt: options.createdAt.toISOString(),
    };
    const t = frames.seal(index, true);
    const sealed = Buffer.concat([t.update(JSON.stringify(meta), 'utf8'), t.final(), t.getAuthTag()]);
    const len = Buffer.allocUnsafe(4);
    len.writeUInt32BE(sealed.length);
    out.push(sealed);
    out.push(len);
    await out.drain();
    return meta;
  } catch (e) {
    await out.settle();
    throw e;
  }
}

function encodeHeader(frameSize: number, prefix: Buffer, wrapped: Uint8Array): Buffer {
  if (wrapped.length > MAX_WRAPPED) throw new RangeError('wrapped data key too long');
  const h = Buffer.alloc(FIXED_HEADER + wrapped.length);
  MAGIC.copy(h, 0);
  h[MAGIC.length] = VERSION;
  h.writeUInt32BE(frameSize, MAGIC.length + 1);
  prefix.copy(h, MAGIC.length + 5);
  h.writeUInt16BE(wrapped.length, FIXED_HEADER - 2);
  h.set(wrapped, FIXED_HEADER);
  return h;
}

interface Layout {
  headerLen: number;
  frameSize: number;
  frames: number;
  size: number;
}

export interface OpenedEnvelope {
  meta: EnvelopeMeta;
  /** The plaintext, each frame verified before it is released. Destroying it closes the file. */
  body: Readable;
}

/**
 * Reads and authenticates the header and trailer of an object file; the body decrypts lazily.
 * Takes ownership of `fh`: it is closed when the body ends or is destroyed, or here on failure.
 */
export async function openEnvelope(fh: FileHandle, keys: KeyService): Promise<OpenedEnvelope> {
  try {
    const { meta, frames, layout } = await readTrailer(fh, keys);
    return { meta, body: new DecryptingReadable(fh, frames, layout) };
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** Reads and authenticates only the metadata; does not close `fh`. */
export async function readEnvelopeMeta(fh: FileHandle, keys: KeyService): Promise<EnvelopeMeta> {
  return (await readTrailer(fh, keys)).meta;
}

async function readTrailer(fh: FileHandle, keys: KeyService) {
  const fileSize = (await fh.stat()).size;
  if (fileSize < FIXED_HEADER + TAG + 4) throw tampered('The object file is truncated.');
  const head = await readExactly(fh, Math.min(fileSize, FIXED_HEADER + MAX_WRAPPED), 0);
  if (!head.subarray(0, MAGIC.length).equals(MAGIC)) throw tampered('The object file has no Cairn header.');
  if (head[MAGIC.length] !== VERSION) throw tampered(`Unknown object format version ${head[MAGIC.length]}.`);
  const frameSize = head.readUInt32BE(MAGIC.length + 1);
  const wrappedLen = head.readUInt16BE(FIXED_HEADER - 2);
  const headerLen = FIXED_HEADER + wrappedLen;
  if (frameSize < MIN_FRAME || frameSize > MAX_FRAME || wrappedLen > MAX_WRAPPED || headerLen > head.length) {
    throw tampered('The object header is invalid.');
  }
  const trailerLen = (await readExactly(fh, 4, fileSize - 4)).readUInt32BE(0);
  const dataLen = fileSize - headerLen - trailerLen - 4;
  if (trailerLen < TAG || trailerLen > MAX_TRAILER || dataLen < 0) throw tampered('The object trailer is invalid.');
  const stride = frameSize + TAG;
  const frameCount = Math.ceil(dataLen / stride);
  if (frameCount > 0 && dataLen - (frameCount - 1) * stride <= TAG) throw tampered('The object file is truncated.');

  let dataKey: Uint8Array;
  try {
    dataKey = await keys.unwrap(head.subarray(FIXED_HEADER, headerLen));
  } catch (cause) {
    throw tampered(
      'The object key cannot be unwrapped: the file was altered or written under another master key.',
      cause,
    );
  }
  const header = head.subarray(0, headerLen);
  const prefix = Buffer.from(head.subarray(MAGIC.length + 5, MAGIC.length + 5 + PREFIX));
  const frames = new FrameKeys(createSecretKey(dataKey), prefix, createHash('sha256').update(header).digest());
  Buffer.from(dataKey.buffer, dataKey.byteOffset, dataKey.byteLength).fill(0);

  const sealed = await readExactly(fh, trailerLen, fileSize - 4 - trailerLen);
  let meta: EnvelopeMeta;
  try {
    const json = frames.open(frameCount, true, sealed.subarray(0, trailerLen - TAG), sealed.subarray(trailerLen - TAG));
    meta = parseMeta(JSON.parse(json.toString('utf8')));
  } catch (cause) {
    throw tampered('The object trailer failed authentication.', cause);
  }
  if (meta.size !== dataLen - frameCount * TAG || Math.ceil(meta.size / frameSize) !== frameCount) {
    throw tampered('The object size does not match its frames.');
  }
  const layout: Layout = { headerLen, frameSize, frames: frameCount, size: meta.size };
  return { meta, frames, layout };
}

function parseMeta(v: unknown): EnvelopeMeta {
  const m = v as Partial<EnvelopeMeta> | null;
  if (
    typeof m?.key !== 'string' ||
    typeof m.contentType !== 'string' ||
    !Number.isSafeInteger(m.size) ||
    typeof m.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(m.sha256) ||
    typeof m.createdAt !== 'string' ||
    Number.isNaN(Date.parse(m.createdAt))
  ) {
    throw new TypeError('malformed metadata');
  }
  return { key: m.key, contentType: m.contentType, size: m.size!, sha256: m.sha256, createdAt: m.createdAt };
}

async function readExactly(fh: FileHandle, length: number, position: number, into?: Buffer): Promise<Buffer> {
  const buf = into ?? Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, position + got);
    if (bytesRead === 0) throw tampered('The object file is truncated.');
    got += bytesRead;
  }
  return buf;
}

/**
 * Reads sealed frames in batches into one reused buffer and pushes one verified frame per _read().
 * Read-ahead is shared: a lone download reads 1 MiB at a time, hundreds of concurrent ones a frame
 * each, so memory stays bounded by READ_BUDGET plus about two frames per download.
 */
class DecryptingReadable extends Readable {
  private static open = 0;
  private next = 0;
  private batchStart = 0;
  private batchEnd = 0;
  private sealed = Buffer.alloc(0);
  private counted = true;

  constructor(
    private readonly fh: FileHandle,
    private readonly frames: FrameKeys,
    private readonly layout: Layout,
  ) {
    super({ highWaterMark: layout.frameSize });
    DecryptingReadable.open += 1;
  }

  override _read(): void {
    void this.step();
  }

  private async step(): Promise<void> {
    const { headerLen, frameSize, frames, size } = this.layout;
    const stride = frameSize + TAG;
    if (this.next >= frames) {
      this.push(null);
      return;
    }
    try {
      const i = this.next;
      if (i >= this.batchEnd) {
        const dataBytes = size + frames * TAG;
        const share = Math.min(MAX_READ_BATCH, READ_BUDGET / DecryptingReadable.open);
        const want = Math.min(Math.max(1, Math.floor(share / stride)) * stride, dataBytes);
        const have = this.sealed.length;
        if (have === 0 || want < have / 2 || want > have * 2) this.sealed = Buffer.allocUnsafe(want);
        const count = Math.min(Math.floor(this.sealed.length / stride) || 1, frames - i);
        const bytes = Math.min(count * stride, dataBytes - i * stride);
        await readExactly(this.fh, bytes, headerLen + i * stride, this.sealed);
        [this.batchStart, this.batchEnd] = [i, i + count];
      }
      const at = (i - this.batchStart) * stride;
      const tagAt = at + Math.min(frameSize, size - i * frameSize);
      let plain: Buffer;
      try {
        plain = this.frames.open(i, false, this.sealed.subarray(at, tagAt), this.sealed.subarray(tagAt, tagAt + TAG));
      } catch (cause) {
        throw tampered(`Frame ${i} of the object failed authentication.`, cause);
      }
      this.next = i + 1;
      this.push(plain);
    } catch (e) {
      this.destroy(e as Error);
    }
  }

  override _destroy(err: Error | null, callback: (error?: Error | null) => void): void {
    if (this.counted) DecryptingReadable.open -= 1;
    this.counted = false;
    this.fh.close().then(
      () => callback(err),
      () => callback(err),
    );
  }
}
