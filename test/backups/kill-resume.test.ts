import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cairnEnv, cli } from '../helpers/child-server.ts';
import { MASTER_KEY, cleanup, makeOrders, tableHash, tempDir } from './harness.ts';

const ROWS = 120_000;
const CHUNK_ROWS = 3000; // 40 chunks

function cairn(dir: string, args: string[], onStderr?: (line: string, kill: () => void) => void) {
  const child = spawn(process.execPath, [cli, ...args], {
    cwd: dir,
    env: cairnEnv({ CAIRN_CONFIG: join(dir, 'cairn.yaml'), CAIRN_MASTER_KEY: MASTER_KEY }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    for (const line of c.toString().split('\n')) if (line) onStderr?.(line, () => child.kill('SIGKILL'));
    stderr += c.toString();
  });
  return once(child, 'exit').then(([code, signal]) => ({ code: code as number | null, signal, stdout, stderr }));
}

// Child processes on a busy machine: allow minutes, not the default 30 s.
describe('a backup run killed with SIGKILL', { timeout: 240_000 }, () => {
  let dir: string;
  beforeAll(async () => {
    dir = await tempDir();
    makeOrders(join(dir, 'legacy.db'), ROWS, (id) =>
      new Date(Date.UTC(2026, 0, 1) + Math.floor(id / 10) * 1000).toISOString(),
    ).close();
    await writeFile(
      join(dir, 'cairn.yaml'),
      `dataDir: ./data
log: { level: silent }
backups:
  jobs:
    orders:
      source: { type: sqlite, path: ./legacy.db, table: orders }
      mode: incremental
      cursor: { column: updated_at }
      hot: { sqlite: ./hot.db }
      cold: { chunkRows: ${CHUNK_ROWS}, level: 1 }
      concurrency: 2
`,
    );
  });
  afterAll(() => cleanup(dir));

  it('resumes from its last finished chunk, re-doing only the rest, and restores row for row', async () => {
    let killedAt = 0;
    const first = await cairn(dir, ['backup', 'run', 'orders'], (line, kill) => {
      const m = /^chunks (\d+)\/(\d+)/.exec(line);
      if (m && Number(m[1]) >= 6 && !killedAt) {
        killedAt = Date.now();
        kill();
      }
    });
    expect(first.signal).toBe('SIGKILL');

    const db = new Database(join(dir, 'data', 'cairn.db'));
    const run = db.prepare('SELECT id, status, chunks_total FROM backup_runs').get() as {
      id: string;
      status: string;
      chunks_total: number;
    };
    const doneBefore = db.prepare("SELECT count(*) FROM backup_chunks WHERE status = 'done'").pluck().get() as number;
    db.close();
    expect(run.status).toBe('running');
    expect(run.chunks_total).toBe(ROWS / CHUNK_ROWS);
    expect(doneBefore).toBeGreaterThanOrEqual(6);
    expect(doneBefore).toBeLessThan(run.chunks_total);
    const resumedAt = Date.now();

    const second = await cairn(dir, ['backup', 'run', 'orders']);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stderr).toContain(`resuming interrupted run ${run.id}`);
    expect(second.stdout).toMatch(new RegExp(`^${run.id}\\tsucceeded\\tfull\\t${ROWS} rows`));

    const after = new Database(join(dir, 'data', 'cairn.db'), { readonly: true });
    const redone = after
      .prepare('SELECT count(*) FROM backup_chunks WHERE run_id = ? AND finished_at >= ?')
      .pluck()
      .get(run.id, resumedAt);
    const attempts = after.prepare('SELECT max(attempts) FROM backup_chunks WHERE run_id = ?').pluck().get(run.id);
    after.close();
    expect(redone).toBe(run.chunks_total - doneBefore); // the chunks finished before the kill were not read again
    expect(attempts).toBe(1);

    const source = tableHash(join(dir, 'legacy.db'));
    expect(tableHash(join(dir, 'hot.db'))).toEqual(source);
    const restore = await cairn(dir, ['backup', 'restore', 'orders', run.id, '--to', 'sqlite:./restored.db']);
    expect(restore.code, restore.stderr).toBe(0);
    expect(tableHash(join(dir, 'restored.db'))).toEqual(source);

    const verify = await cairn(dir, ['backup', 'verify', 'orders']);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain(`${run.id}\tOK\t${run.chunks_total} chunks\t${ROWS} rows`);
  });

  it('reports a flipped byte from the CLI: verify exits 1 naming the chunk, restore refuses', async () => {
    const list = await cairn(dir, ['backup', 'list', 'orders']);
    const runId = list.stdout.split('\t')[0]!;
    const { LocalKeyService } = await import('../../src/adapters/local/key-service.ts');
    const { DiskObjectStore } = await import('../../src/adapters/local/object-store/disk-object-store.ts');
    const { UrlSigner } = await import('../../src/adapters/local/object-store/url-signer.ts');
    const keys = await LocalKeyService.open({ dataDir: join(dir, 'data'), masterKeyBase64: MASTER_KEY });
    const store = await DiskObjectStore.open({
      dataDir: join(dir, 'data'),
      keys,
      signer: new UrlSigner({ baseUrl: 'http://x', key: keys.urlSigningKey() }),
      namesKey: keys.objectNamesKey(),
    });
    const key = `backups/orders/${runId}/chunk-00007.ndjson.gz`;
    const file = store.pathOf(key);
    const bytes = await readFile(file);
    bytes[bytes.length - 100]! ^= 0x80;
    await writeFile(file, bytes);

    const verify = await cairn(dir, ['backup', 'verify', 'orders', runId]);
    expect(verify.code).toBe(1);
    expect(verify.stdout).toContain(`${runId}\tFAILED`);
    expect(verify.stdout).toContain(key);
    const restore = await cairn(dir, ['backup', 'restore', 'orders', runId, '--to', 'sqlite:./again.db']);
    expect(restore.code).toBe(1);
    expect(restore.stderr).toContain('CAIRN_BACKUP_CHUNK_CORRUPT');
    expect(restore.stderr).toContain(key);
  });
});
