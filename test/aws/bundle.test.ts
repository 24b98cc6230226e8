/**
 * Every Lambda handler bundles with esbuild for Node.js 24 (ESM), loads, and pulls in nothing local-only:
 * no SQLite, no disk object store, no SMTP, no pino. The local modules allowed in are runtime-neutral
 * (fetch, scrypt, JWTs, the built-in hub sources).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';

const HANDLERS = [
  'http',
  'enrich-worker',
  'notifier',
  'channel-sender',
  'subscription-deliverer',
  'share-sweeper',
  'backup-planner',
  'backup-chunk',
];
const ALLOWED_LOCAL = new Set([
  'src/adapters/local/http-client.ts',
  'src/adapters/local/jwt-tokens.ts',
  'src/adapters/local/scrypt-hasher.ts',
  'src/runtime/local/hub-sources.ts',
]);
const FORBIDDEN = /node_modules\/(better-sqlite3|pg|nodemailer|pino|@hono\/node-server)\//;
const out = mkdtempSync(join(tmpdir(), 'cairn-bundle-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('Lambda bundles', () => {
  it.each(HANDLERS)('bundles %s for node24 without local-only modules, and the bundle loads', async (name) => {
    const outfile = join(out, `${name}.mjs`);
    const result = await build({
      entryPoints: [`src/runtime/lambda/${name}.ts`],
      bundle: true,
      platform: 'node',
      target: 'node24',
      format: 'esm',
      outfile,
      metafile: true,
      logLevel: 'silent',
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.filter((i) => FORBIDDEN.test(i))).toEqual([]);
    expect(inputs.filter((i) => /^src\/(adapters|runtime)\/local\//.test(i) && !ALLOWED_LOCAL.has(i))).toEqual([]);
    const mod = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });
});
