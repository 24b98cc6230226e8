import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DirRestore } from '../../src/adapters/local/backups/dir-restore.ts';
import { SqliteHotTarget } from '../../src/adapters/local/backups/sqlite-hot-target.ts';
import { dumpKey, manifestKey } from '../../src/core/backups/keys.ts';
import { cleanup, harness, makeOrders, ordersJob, tempDir } from './harness.ts';

describe('dump sources (a file or a command’s output) stored as is', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await tempDir();
  });
  afterEach(() => cleanup(dir));

  it('stores a file whole with its checksum, verifies it and restores it byte for byte into a directory', async () => {
    const bytes = randomBytes(300_000);
    await writeFile(join(dir, 'export.bin'), bytes);
    const h = await harness(dir, { exports: { source: { type: 'file', path: './export.bin' } } });
    try {
      const run = await (await h.service.start('exports')).done;
      expect(run).toMatchObject({ status: 'succeeded', kind: 'dump', mode: 'full', bytes: 300_000, chunksTotal: 1 });
      const stored = await h.store.head(dumpKey('exports', run.id, 'export.bin'));
      expect(stored).toMatchObject({ size: 300_000 });
      const manifest = JSON.parse(
        Buffer.concat(await chunks((await h.store.get(manifestKey('exports', run.id))).body)).toString(),
      );
      expect(manifest).toMatchObject({
        kind: 'dump',
        compression: 'none',
        chunks: [{ key: dumpKey('exports', run.id, 'export.bin'), sha256: stored!.sha256 }],
      });
      expect((await h.service.verify('exports', run.id))[0]!.ok).toBe(true);

      await h.service.restore('exports', run.id, { kind: 'dir', dir: new DirRestore(join(dir, 'out')), label: 'out' });
      expect((await readFile(join(dir, 'out', run.id, 'export.bin'))).equals(bytes)).toBe(true);
      const table = { kind: 'table' as const, target: new SqliteHotTarget(join(dir, 't.db')), table: 't', label: 't' };
      await expect(h.service.restore('exports', run.id, table)).rejects.toMatchObject({
        code: 'CAIRN_BACKUP_RUN_NOT_RESTORABLE',
      });
    } finally {
      h.close();
    }
  });

  it('captures a command’s standard output as the dump', async () => {
    const script = "process.stdout.write('row\\n'.repeat(25000))";
    const h = await harness(dir, {
      cmd: { source: { type: 'command', argv: [process.execPath, '-e', script], fileName: 'rows.txt' } },
    });
    try {
      const run = await (await h.service.start('cmd')).done;
      expect(run).toMatchObject({ status: 'succeeded', bytes: 100_000 });
      const { body } = await h.store.get(dumpKey('cmd', run.id, 'rows.txt'));
      expect(Buffer.concat(await chunks(body)).toString()).toBe('row\n'.repeat(25000));
    } finally {
      h.close();
    }
  });

  it('restores a row run into a directory as NDJSON files beside its manifest', async () => {
    makeOrders(join(dir, 'legacy.db'), 250).close();
    const h = await harness(dir, { orders: ordersJob(dir) });
    try {
      const run = await (await h.service.start('orders')).done;
      const report = await h.service.restore('orders', run.id, {
        kind: 'dir',
        dir: new DirRestore(join(dir, 'nd')),
        label: 'nd',
      });
      expect(report).toMatchObject({ rows: 250, chunks: 3 });
      const lines = (await readFile(join(dir, 'nd', run.id, 'chunk-00002.ndjson'), 'utf8')).trim().split('\n');
      expect(lines.map((l) => JSON.parse(l).id)).toEqual(Array.from({ length: 50 }, (_, i) => 201 + i));
      expect(JSON.parse(await readFile(join(dir, 'nd', run.id, 'manifest.json'), 'utf8'))).toMatchObject({
        runId: run.id,
        rows: 250,
      });
    } finally {
      h.close();
    }
  });
});

async function chunks(body: AsyncIterable<Uint8Array>) {
  const out: Buffer[] = [];
  for await (const c of body) out.push(Buffer.from(c));
  return out;
}
