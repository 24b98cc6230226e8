import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expandGlob } from './glob.ts';

describe('log file globs', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-glob-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  for (const p of ['a.log', 'b.log', 'a.log.1', 'x/c.log', 'x/y/d.log', 'x/y/e.txt', 'app-7.log']) {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), '');
  }
  const rel = async (pattern: string) => (await expandGlob(pattern, dir)).map((p) => p.slice(dir.length + 1));

  it('matches * ? and classes within one directory', async () => {
    expect(await rel('*.log')).toEqual(['a.log', 'app-7.log', 'b.log']);
    expect(await rel('?.log*')).toEqual(['a.log', 'a.log.1', 'b.log']);
    expect(await rel('app-[0-9].log')).toEqual(['app-7.log']);
    expect(await rel('[!a]*.log')).toEqual(['b.log']);
  });

  it('descends any depth with **, and names a plain path only when it is a file', async () => {
    expect(await rel('**/*.log')).toEqual(['a.log', 'app-7.log', 'b.log', 'x/c.log', 'x/y/d.log']);
    expect(await rel('x/*/*.txt')).toEqual(['x/y/e.txt']);
    expect(await rel('x')).toEqual([]);
    expect(await rel('missing/*.log')).toEqual([]);
  });
});
