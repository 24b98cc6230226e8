import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CommandSource, FileSource, showCommand } from '../../src/adapters/local/backups/sources/command.ts';
import { startPgCluster, type PgCluster } from '../helpers/postgres.ts';

const node = process.execPath;
let dir: string;

async function drain(body: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of body) parts.push(Buffer.from(b));
  return Buffer.concat(parts);
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const waitFor = async (check: () => boolean, ms = 5000) => {
  const until = Date.now() + ms;
  while (!check() && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  return check();
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-dump-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CommandSource', () => {
  it("streams a command's stdout as the dump, byte for byte, without a shell", async () => {
    const script = `for (let i = 0; i < 8; i++) process.stdout.write(Buffer.alloc(1 << 20, i));`;
    const s = new CommandSource({ argv: [node, '-e', script, '$(rm -rf /) ; *'] });
    const { body, fileName } = await s.open();
    expect(fileName).toBe('node.out');
    const out = await drain(body);
    expect(out.length).toBe(8 << 20);
    expect(out[(3 << 20) + 5]).toBe(3);
  });

  it('fails on a non-zero exit, naming the command, its exit code and the end of its stderr', async () => {
    const script = `process.stdout.write('partial'); process.stderr.write('x'.repeat(100000) + '\\nFATAL: relation "items" does not exist\\n'); process.exit(3)`;
    const s = new CommandSource({ argv: [node, '-e', script], stderrBytes: 1024 });
    const { body } = await s.open();
    const err = await drain(body).catch((e: Error) => e);
    expect(err).toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_FAILED',
      message: expect.stringMatching(/exited with code 3: .*FATAL: relation "items" does not exist$/s),
    });
    expect((err as Error).message.length).toBeLessThan(1500);
    expect((err as Error).message).toContain(`\`${node} -e`);
  });

  it('refuses a program that does not exist', async () => {
    await expect(new CommandSource({ argv: ['/nonexistent/pg_dump'] }).open()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_INVALID',
      message: expect.stringMatching(/cannot run \/nonexistent\/pg_dump: .*ENOENT/),
    });
  });

  it('kills the command when the reader stops early or the source is closed', async () => {
    const forever = `setInterval(() => process.stdout.write(Buffer.alloc(65536, 1)), 1); process.stdout.write(String(process.pid).padEnd(16))`;
    const s = new CommandSource({ argv: [node, '-e', forever], killGraceMs: 500 });
    const { body } = await s.open();
    let pid = 0;
    for await (const b of body) {
      pid = Number(Buffer.from(b).subarray(0, 16).toString().trim()) || pid;
      if (pid) break;
    }
    expect(pid).toBeGreaterThan(0);
    expect(await waitFor(() => !alive(pid))).toBe(true);

    const second = await s.open();
    const iterator = second.body[Symbol.asyncIterator]();
    const first = await iterator.next();
    const pid2 = Number(
      Buffer.from(first.value as Uint8Array)
        .subarray(0, 16)
        .toString()
        .trim(),
    );
    await s.close();
    expect(await waitFor(() => !alive(pid2))).toBe(true);
    await expect(drain({ [Symbol.asyncIterator]: () => iterator })).rejects.toMatchObject({
      message: expect.stringMatching(/killed by SIGTERM/),
    });
  });

  it('kills a command that runs past its time limit', async () => {
    const s = new CommandSource({ argv: [node, '-e', 'setTimeout(() => {}, 60000)'], timeoutMs: 200 });
    const { body } = await s.open();
    await expect(drain(body)).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      message: expect.stringMatching(/took longer than 200 ms/),
    });
  });

  it('masks passwords of URLs in the command it shows', () => {
    expect(showCommand(['pg_dump', 'postgres://app:hunter2@db:5432/shop'])).toBe(
      'pg_dump postgres://app:***@db:5432/shop',
    );
  });

  describe('with pg_dump', () => {
    let pg: PgCluster;
    beforeAll(async () => {
      pg = await startPgCluster();
      await pg.sql(`CREATE TABLE items (id int PRIMARY KEY, name text)`);
      await pg.sql(`INSERT INTO items SELECT g, 'n' || g FROM generate_series(1, 1000) g`);
    });
    afterAll(() => pg?.stop());

    it("captures the legacy system's own dump of a table", async () => {
      const s = new CommandSource({
        argv: [join(pg.binDir, 'pg_dump'), '-t', 'items', '--no-owner', pg.url],
        fileName: 'items.sql',
      });
      const { body, fileName } = await s.open();
      const sql = (await drain(body)).toString();
      expect(fileName).toBe('items.sql');
      expect(sql).toContain('COPY public.items (id, name) FROM stdin;');
      expect(sql).toContain('1000\tn1000');
    });

    it('fails with pg_dump’s own reason when the table is missing', async () => {
      const s = new CommandSource({ argv: [join(pg.binDir, 'pg_dump'), '-t', 'nope', '--strict-names', pg.url] });
      const { body } = await s.open();
      await expect(drain(body)).rejects.toMatchObject({
        message: expect.stringMatching(/pg_dump -t nope .*exited with code 1: .*no matching tables were found/s),
      });
    });
  });
});

describe('FileSource', () => {
  it('streams a file the legacy system wrote, unchanged', async () => {
    const path = join(dir, 'export-2024-05-01.csv');
    const data = Buffer.alloc(3 << 20, 'a,b,c\n');
    writeFileSync(path, data);
    const { body, fileName } = await new FileSource({ path }).open();
    expect(fileName).toBe('export-2024-05-01.csv');
    const out = await drain(body);
    expect(createHash('sha256').update(out).digest('hex')).toBe(createHash('sha256').update(data).digest('hex'));
  });

  it('says the file is not there (yet) as a retryable failure', async () => {
    await expect(new FileSource({ path: join(dir, 'missing.csv') }).open()).rejects.toMatchObject({
      code: 'CAIRN_BACKUP_SOURCE_UNAVAILABLE',
      message: expect.stringMatching(/missing\.csv does not exist/),
    });
    await expect(new FileSource({ path: dir }).open()).rejects.toMatchObject({ code: 'CAIRN_BACKUP_SOURCE_INVALID' });
  });
});
