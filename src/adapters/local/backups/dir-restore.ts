/**
 * Restoring into a directory: files are written under a hidden temp directory beside the destination
 * and moved in only on commit, so a refused or interrupted restore leaves the destination untouched.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { access, mkdir, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { RestoreDirectory } from '../../../ports/backups.ts';
import { restoreTargetInvalid, restoreTargetNotEmpty } from '../../../core/backups/errors.ts';

export class DirRestore implements RestoreDirectory {
  private readonly tmp: string;

  constructor(private readonly dir: string) {
    this.tmp = join(dirname(dir), `.cairn-restore-${randomBytes(6).toString('hex')}`);
  }

  async write(path: string, body: AsyncIterable<Uint8Array>): Promise<void> {
    const target = normalize(join(this.tmp, path));
    if (!target.startsWith(this.tmp + sep))
      throw restoreTargetInvalid(`Refusing to write outside the directory: ${path}`);
    await mkdir(dirname(target), { recursive: true, mode: 0o700 });
    await pipeline(Readable.from(body), createWriteStream(target, { mode: 0o600 }));
  }

  async commit(): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const entries = await readdir(this.tmp).catch(() => [] as string[]);
    for (const name of entries) {
      const exists = await access(join(this.dir, name)).then(
        () => true,
        () => false,
      );
      if (exists) throw restoreTargetNotEmpty(`${join(this.dir, name)}`);
    }
    for (const name of entries) await rename(join(this.tmp, name), join(this.dir, name));
    await rm(this.tmp, { recursive: true, force: true });
  }

  async abort(): Promise<void> {
    await rm(this.tmp, { recursive: true, force: true });
  }
}
