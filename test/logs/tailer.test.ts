import { appendFileSync, mkdirSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { type AgentFixture, agentFixture, lineCounter } from './fixture.ts';

const lines = (from: number, n: number, prefix = 'line') =>
  Array.from({ length: n }, (_, i) => `${prefix} ${from + i} GET /index.html 200\n`).join('');

describe('tailing log files', () => {
  let f: AgentFixture;
  afterEach(() => f?.cleanup());

  const setup = (extra: Record<string, unknown> = {}) =>
    agentFixture((dir) => ({
      groups: { '/app': { files: [join(dir, 'logs', '*.log')], initialPosition: 'start_of_file' } },
      metricFilters: [lineCounter('/app'), lineCounter('/app', 'Errors', '"ERROR"')],
      ...extra,
    }));
  const log = (name = 'app.log') => join(f.dir, 'logs', name);

  it('counts appended lines and waits for the end of a partial last line', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 3));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(3);
    appendFileSync(log(), lines(3, 2) + 'ERROR half a li');
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(5);
    expect(f.sum('Errors')).toBe(0);
    appendFileSync(log(), 'ne\n');
    await f.agent.poll();
    expect([f.sum('Lines'), f.sum('Errors')]).toEqual([6, 1]);
  });

  it('follows rotation by rename: the old file to its end, the new one from its start', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 100));
    await f.agent.poll();
    appendFileSync(log(), lines(100, 20) + 'last line without newline');
    renameSync(log(), log('app.log.1')); // no longer matches *.log
    writeFileSync(log(), lines(0, 7, 'new'));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(127);
    f.clock.advance(6000);
    await f.agent.poll(); // the rotated file is finished: its partial last line counts
    expect(f.sum('Lines')).toBe(128);
    appendFileSync(log(), lines(7, 3, 'new'));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(131);
  });

  it('keeps the offset when a rotated name still matches the glob', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 10));
    await f.agent.poll();
    renameSync(log(), log('app-1.log'));
    writeFileSync(log(), lines(0, 5));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(15);
  });

  it('starts again from the top after copytruncate, even when the file grew back past the old offset', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 10));
    await f.agent.poll();
    truncateSync(log(), 0);
    appendFileSync(log(), lines(0, 3, 'after'));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(13);
    truncateSync(log(), 0);
    appendFileSync(log(), lines(0, 40, 'refilled'));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(53);
    expect(f.agent.metrics.counters().file_truncated).toBe(2);
  });

  it('resumes after a restart without counting a line twice or skipping one', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 1000) + 'partial');
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(1000);
    await f.agent.stop();
    appendFileSync(log(), ' line\n' + lines(1000, 499));
    await f.restart();
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(1500);
    await f.restart();
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(1500);
  });

  it('notices a rotation that happened while it was stopped', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    writeFileSync(log(), lines(0, 10));
    await f.agent.poll();
    await f.agent.stop();
    rmSync(log());
    writeFileSync(log(), lines(0, 4, 'new'));
    await f.restart();
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(14);
  });

  it('cuts lines over 256 KiB, counts them and goes on with the next line', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    const big = 'ERROR ' + 'x'.repeat(300 * 1024);
    writeFileSync(log(), big.slice(0, 100_000));
    await f.agent.poll();
    appendFileSync(log(), big.slice(100_000) + '\n' + lines(0, 2) + big + '\nERROR short\n');
    await f.agent.poll();
    expect([f.sum('Lines'), f.sum('Errors')]).toEqual([5, 3]);
    expect(f.agent.metrics.counters().lines_truncated).toBe(2);
  });

  it('tolerates binary content', async () => {
    f = await setup();
    mkdirSync(join(f.dir, 'logs'));
    const junk = Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 256));
    writeFileSync(log(), Buffer.concat([junk, Buffer.from('\nERROR after junk\n')]));
    await f.agent.poll();
    expect(f.sum('Errors')).toBe(1);
    expect(f.sum('Lines')).toBeGreaterThan(1);
  });

  it('reports a missing file and picks it up once it appears', async () => {
    f = await agentFixture((dir) => ({
      groups: { '/app': { files: [join(dir, 'named.log')], initialPosition: 'end_of_file' } },
      metricFilters: [lineCounter('/app')],
    }));
    await f.agent.poll();
    expect(f.agent.status().problems).toEqual({ [join(f.dir, 'named.log')]: 'ENOENT: the file does not exist' });
    expect(f.agent.metrics.counters().file_missing).toBe(1);
    writeFileSync(join(f.dir, 'named.log'), lines(0, 2));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(2);
  });

  it('skips what a file held before the first start with end_of_file, and reads new files whole', async () => {
    f = await agentFixture((dir) => ({
      groups: { '/app': { files: [join(dir, '*.log')] } },
      metricFilters: [lineCounter('/app')],
    }));
    writeFileSync(join(f.dir, 'old.log'), lines(0, 50));
    await f.restart();
    await f.agent.poll();
    appendFileSync(join(f.dir, 'old.log'), lines(50, 2));
    writeFileSync(join(f.dir, 'new.log'), lines(0, 3));
    await f.agent.poll();
    expect(f.sum('Lines')).toBe(5);
  });
});
