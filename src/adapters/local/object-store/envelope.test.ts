import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalKeyService } from '../key-service.ts';
import { FileSink } from './disk-object-store.ts';
import { openEnvelope, readEnvelopeMeta, writeEnvelope } from './envelope.ts';

const FRAME = 64;
let dir: string;
let keys: LocalKeyService;
let n = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cairn-envelope-'));
  keys = await LocalKeyService.open({ dataDir: dir, masterKeyBase64: randomBytes(32).toString('base64') });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function* chunks(data: Buffer, size: number) {
  for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function seal(data: Buffer, chunkSize = 7, frameSize = FRAME): Promise<string> {
  const path = join(dir, `obj-${n++}`);
  const fh = await open(path, 'wx');
  try {
    await writeEnvelope(new FileSink(fh), chunks(data, chunkSize), {
      keys,
      key: 'k',
      contentType: 'text/plain',
      createdAt: new Date(),
      frameSize,
    });
  } finally {
    await fh.close();
  }
  return path;
}

async function unseal(path: string): Promise<Buffer> {
  const { body } = await openEnvelope(await open(path, 'r'), keys);
  const parts: Buffer[] = [];
  for await (const c of body) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

async function mutate(path: string, change: (b: Buffer) => Buffer): Promise<string> {
  const copy = join(dir, `mut-${n++}`);
  await writeFile(copy, change(await readFile(path)));
  return copy;
}

describe('envelope', () => {
  it.each([0, 1, FRAME - 1, FRAME, FRAME + 1, 3 * FRAME, 5 * FRAME + 17])('round-trips %i bytes', async (size) => {
    const data = randomBytes(size);
    const path = await seal(data);
    expect(await unseal(path)).toEqual(data);
    const fh = await open(path, 'r');
    const meta = await readEnvelopeMeta(fh, keys);
    await fh.close();
    expect(meta).toMatchObject({
      key: 'k',
      contentType: 'text/plain',
      size,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  });

  it('writes no plaintext and no metadata in the clear', async () => {
    const secret = Buffer.from('the distinctive plaintext '.repeat(20));
    const raw = await readFile(await seal(secret));
    expect(raw.includes(Buffer.from('distinctive'))).toBe(false);
    expect(raw.includes(Buffer.from('text/plain'))).toBe(false);
    expect(raw.subarray(0, 8).toString()).toBe('CAIRNOBJ');
  });

  it('detects a flipped bit at every byte of the file', async () => {
    const path = await seal(randomBytes(2 * FRAME + 10));
    const size = (await readFile(path)).length;
    for (let i = 0; i < size; i++) {
      const bad = await mutate(path, (b) => {
        b[i]! ^= 0x01;
        return b;
      });
      await expect(unseal(bad), `byte ${i}`).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
      await rm(bad);
    }
  });

  it('detects truncation at every length', async () => {
    const path = await seal(randomBytes(2 * FRAME + 10));
    const size = (await readFile(path)).length;
    for (let len = 0; len < size; len++) {
      const bad = await mutate(path, (b) => b.subarray(0, len));
      await expect(unseal(bad), `length ${len}`).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
      await rm(bad);
    }
  });

  it('detects swapped, dropped and duplicated frames', async () => {
    const path = await seal(randomBytes(4 * FRAME));
    const raw = await readFile(path);
    const headerLen = raw.length - 4 - raw.readUInt32BE(raw.length - 4) - 4 * (FRAME + 16);
    const frame = (i: number) => raw.subarray(headerLen + i * (FRAME + 16), headerLen + (i + 1) * (FRAME + 16));
    const head = raw.subarray(0, headerLen);
    const tail = raw.subarray(headerLen + 4 * (FRAME + 16));
    const layouts = [
      [1, 0, 2, 3],
      [0, 1, 3, 2],
      [0, 1, 2],
      [0, 1, 2, 3, 3],
    ];
    for (const order of layouts) {
      const bad = await mutate(path, () => Buffer.concat([head, ...order.map(frame), tail]));
      await expect(unseal(bad), order.join(',')).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
    }
  });

  it('detects a frame moved from another object', async () => {
    const a = await readFile(await seal(randomBytes(2 * FRAME)));
    const b = await readFile(await seal(randomBytes(2 * FRAME)));
    const headerLen = a.length - 4 - a.readUInt32BE(a.length - 4) - 2 * (FRAME + 16);
    const mixed = Buffer.concat([a.subarray(0, headerLen + FRAME + 16), b.subarray(headerLen + FRAME + 16)]);
    const bad = await mutate(await seal(Buffer.alloc(0)), () => mixed);
    await expect(unseal(bad)).rejects.toMatchObject({ code: 'CAIRN_OBJECT_TAMPERED' });
  });

  it('refuses a body longer or shorter than expectedSize, and stops reading the longer one early', async () => {
    let pulled = 0;
    async function* endless() {
      for (;;) {
        pulled += 1;
        yield Buffer.alloc(10);
      }
    }
    const fh = await open(join(dir, `size-${n++}`), 'wx');
    const opts = { keys, key: 'k', contentType: 'x/y', createdAt: new Date(), expectedSize: 25 };
    await expect(writeEnvelope(new FileSink(fh), endless(), opts)).rejects.toMatchObject({
      code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
    });
    expect(pulled).toBe(3);
    await expect(writeEnvelope(new FileSink(fh), chunks(Buffer.alloc(24), 8), opts)).rejects.toMatchObject({
      code: 'CAIRN_UPLOAD_SIZE_MISMATCH',
    });
    await fh.close();
  });

  it('stays on frame-sized buffers for large objects (1 MiB frames, uneven chunks)', async () => {
    const data = randomBytes(3 * 1024 * 1024 + 12345);
    const path = await seal(data, 65_536 + 3, 1 << 20);
    const { body } = await openEnvelope(await open(path, 'r'), keys);
    let biggest = 0;
    const parts: Buffer[] = [];
    for await (const c of body) {
      biggest = Math.max(biggest, (c as Buffer).length);
      parts.push(c as Buffer);
    }
    expect(biggest).toBe(1 << 20);
    expect(Buffer.concat(parts).equals(data)).toBe(true);
  });
});
