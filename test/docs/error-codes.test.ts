import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url).pathname;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'web' ? [] : sourceFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.test.ts') ? [p] : [];
  });
}

/** Every `'CAIRN_…'` literal in the server's code: error codes, and environment variable names. */
function literals(): Set<string> {
  const out = new Set<string>();
  for (const file of sourceFiles(join(root, 'src'))) {
    for (const m of readFileSync(file, 'utf8').matchAll(/'(CAIRN_[A-Z0-9_]*[A-Z0-9])'/g)) out.add(m[1]!);
  }
  return out;
}

describe('documentation of codes and variables', () => {
  it('lists every error code in docs/errors.md and every CAIRN_ variable in the README', () => {
    const docs = readFileSync(join(root, 'docs/errors.md'), 'utf8') + readFileSync(join(root, 'README.md'), 'utf8');
    const missing = [...literals()].filter((code) => !docs.includes(code));
    expect(missing).toEqual([]);
  });
});
