import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cairnEnv, repoRoot, runCli } from '../helpers/child-server.ts';

const conformance = (name: string) =>
  JSON.parse(readFileSync(join(repoRoot, 'test/conformance', name), 'utf8')) as { cases: Record<string, any>[] };

describe('npx cairn schedule next', () => {
  const env = cairnEnv({});
  for (const c of conformance('eventbridge-schedules.json').cases) {
    if (c.valid === false) {
      it(`refuses ${c.expression} with the reason`, async () => {
        const r = await runCli(['schedule', 'next', c.expression], env);
        expect(r.code).toBe(1);
        expect(r.stderr).toMatch(/CAIRN_INVALID_SCHEDULE/);
      });
    } else if (c.next) {
      it(`prints the fire times of ${c.expression} after ${c.from}`, async () => {
        const r = await runCli(['schedule', 'next', c.expression, '--from', c.from, '-n', String(c.next.length)], env);
        expect(r.stderr).toBe('');
        expect(r.stdout.trim().split('\n')).toEqual(c.next);
      });
    }
  }

  it('evaluates in a time zone and skips the hour that does not exist in spring', async () => {
    const r = await runCli(
      ['schedule', 'next', 'cron(30 2 * * ? *)', '--tz', 'Europe/Berlin', '--from', '2027-03-27T00:00:00Z', '-n', '2'],
      env,
    );
    expect(r.stdout.trim().split('\n')).toEqual(['2027-03-27T01:30:00Z', '2027-03-29T00:30:00Z']);
  });
});

describe('npx cairn alerts test-filter-policy', () => {
  const env = cairnEnv({});
  const cases = conformance('sns-filter-policies.json').cases;
  it('answers every SNS conformance case as AWS does', async () => {
    for (const c of cases) {
      const r = await runCli(
        [
          'alerts',
          'test-filter-policy',
          '--policy',
          JSON.stringify(c.filterPolicy),
          '--attributes',
          JSON.stringify(c.messageAttributes),
        ],
        env,
      );
      expect(r.stdout).toBe(c.match ? 'match\n' : 'no match\n');
    }
  });

  it('refuses an invalid policy with its path and the reason', async () => {
    const r = await runCli(
      ['alerts', 'test-filter-policy', '--policy', '{"n":[{"numeric":[">",5,"<",2]}]}', '--attributes', '{}'],
      env,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/\$\.n\[0\]\.numeric: .*CAIRN_INVALID_FILTER_POLICY/);
  });
});
