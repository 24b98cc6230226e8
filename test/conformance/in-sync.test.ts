/**
 * The conformance cases (from AWS's documentation) are vendored here so a clone of the repository
 * alone runs every test; the team's reference copy sits beside the repository in ../shared/conformance.
 * Where that copy exists, the vendored one must match it byte for byte (re-copy it when it changes).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const here = import.meta.dirname;
const shared = join(here, '../../../shared/conformance');
const vendored = readdirSync(here).filter((f) => f.endsWith('.json'));

describe('vendored conformance cases', () => {
  it('holds the three case files, each with cases', () => {
    expect(vendored.sort()).toEqual([
      'cloudwatch-filter-patterns.json',
      'eventbridge-schedules.json',
      'sns-filter-policies.json',
    ]);
    for (const f of vendored) {
      const { cases } = JSON.parse(readFileSync(join(here, f), 'utf8')) as { cases: unknown[] };
      expect(cases.length, f).toBeGreaterThan(0);
    }
  });

  it.skipIf(!existsSync(shared))('match the reference copy in ../shared/conformance', () => {
    const reference = readdirSync(shared).filter((f) => f.endsWith('.json'));
    expect(vendored.sort()).toEqual(reference.sort());
    for (const f of reference)
      expect(readFileSync(join(here, f), 'utf8'), f).toBe(readFileSync(join(shared, f), 'utf8'));
  });
});
