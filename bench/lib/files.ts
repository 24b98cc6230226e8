/** The plaintext sources: random bytes, generated once and reused while their size is right. */
import { createHash, randomFillSync } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { open, rename, unlink } from 'node:fs/promises';
import { log, removeLater } from './proc.ts';

const CHUNK = 16 << 20;

export async function ensureRandomFile(path: string, size: number): Promise<'reused' | 'generated'> {
  try {
    if (statSync(path).size === size) return 'reused';
  } catch {
    // absent
  }
  const tmp = removeLater(`${path}.partial`);
  const fh = await open(tmp, 'w');
  const buf = Buffer.allocUnsafe(CHUNK);
  try {
    let lastPct = -1;
    for (let done = 0; done < size;) {
      const n = Math.min(CHUNK, size - done);
      randomFillSync(buf, 0, n);
      await fh.write(buf, 0, n, done);
      done += n;
      const pct = Math.floor((done / size) * 10) * 10;
      if (size > 100e6 && pct !== lastPct) process.stderr.write(`\r  generating ${path}: ${(lastPct = pct)}%`);
    }
    if (size > 100e6) process.stderr.write('\n');
    await fh.close();
    await rename(tmp, path);
  } catch (e) {
    await fh.close().catch(() => {});
    await unlink(tmp).catch(() => {});
    throw e;
  }
  log(`  generated ${path} (${size} bytes)`);
  return 'generated';
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
