import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase } from './db.ts';
import { FsyncBarrier, openGroupCommitConnection } from './group-commit.ts';

const dir = mkdtempSync(join(tmpdir(), 'cairn-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class CountingBarrier extends FsyncBarrier {
  started = 0;
  finish: (() => void)[] = [];
  protected override fsyncFile(): Promise<void> {
    this.started += 1;
    return new Promise((resolve) => this.finish.push(resolve));
  }
}

describe('FsyncBarrier', () => {
  it('answers each caller with an fsync that began after it called, and shares it with the others', async () => {
    const b = new CountingBarrier('/nonexistent');
    const first = b.sync();
    const late = [b.sync(), b.sync(), b.sync()]; // arrive during the first fsync: they share the next one
    expect(b.started).toBe(1);
    let lateDone = false;
    void Promise.all(late).then(() => (lateDone = true));
    b.finish[0]!();
    await first;
    await new Promise((r) => setImmediate(r));
    expect(lateDone).toBe(false); // the first fsync may have begun before their writes
    expect(b.started).toBe(2);
    b.finish[1]!();
    await Promise.all(late);
    expect(b.started).toBe(2);
  });

  it('passes an fsync failure to its callers, and the next call tries again', async () => {
    const b = new FsyncBarrier(join(dir, 'missing-wal'));
    await expect(b.sync()).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(b.sync()).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

describe('openGroupCommitConnection', () => {
  it('opens a second connection without an fsync per commit, whose commits the main one sees', async () => {
    const main = openDatabase(join(dir, 'cairn.db'));
    const state = openGroupCommitConnection(main);
    expect(state.db).not.toBe(main);
    expect(state.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    expect(main.pragma('synchronous', { simple: true })).toBe(2); // FULL, for what the API acknowledges
    state.db.exec('CREATE TABLE t (v INTEGER)');
    state.db.prepare('INSERT INTO t VALUES (1)').run();
    await state.sync();
    expect(main.prepare('SELECT v FROM t').pluck().get()).toBe(1);
    state.close();
    main.close();
  });

  it('uses the main connection of an in-memory database, which has no file to share', async () => {
    const main = openDatabase(':memory:');
    const state = openGroupCommitConnection(main);
    expect(state.db).toBe(main);
    await state.sync();
    main.close();
  });
});
