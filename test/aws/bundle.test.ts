/**
 * Every Lambda handler bundles with esbuild for Node.js 24 (ESM), loads, and pulls in nothing local-only:
 * no SQLite, no disk object store, no SMTP transport, no pino. The local modules allowed in are
 * runtime-neutral (fetch, scrypt, JWTs, the built-in hub sources); the backup tasks also take the
 * Postgres and REST sources, the Postgres hot target and the cold-object codec, which talk to the
 * network and to an ObjectStore port, never to the disk. The channel sender takes nodemailer's MIME
 * composer only (SES sends the raw message), never its SMTP transports.
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
const BACKUP_LOCAL = [
  'backups/adapter-errors.ts',
  'backups/ndjson.ts',
  'backups/cold-store.ts',
  'backups/postgres/connection.ts',
  'backups/postgres/catalog.ts',
  'backups/postgres/copy-out.ts',
  'backups/postgres/copy-in.ts',
  'backups/postgres/types.ts',
  'backups/postgres/plan.ts',
  'backups/postgres/ddl.ts',
  'backups/sources/postgres.ts',
  'backups/sources/rest.ts',
  'backups/sources/rest-http.ts',
  'backups/sources/rest-rows.ts',
  'backups/targets/postgres.ts',
].map((p) => `src/adapters/local/${p}`);
const BACKUP_HANDLERS = new Set(['backup-planner', 'backup-chunk']);
const FORBIDDEN =
  /node_modules\/(better-sqlite3|pino|@hono\/node-server)\/|node_modules\/nodemailer\/dist\/esm\/(nodemailer\.js|smtp-transport\/|smtp-pool\/|sendmail-transport\/|smtp-connection\/index\.js)/;
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
    const allowed = BACKUP_HANDLERS.has(name) ? new Set([...ALLOWED_LOCAL, ...BACKUP_LOCAL]) : ALLOWED_LOCAL;
    expect(inputs.filter((i) => FORBIDDEN.test(i))).toEqual([]);
    expect(inputs.filter((i) => /^src\/(adapters|runtime)\/local\//.test(i) && !allowed.has(i))).toEqual([]);
    if (!BACKUP_HANDLERS.has(name)) expect(inputs.filter((i) => i.includes('node_modules/pg/'))).toEqual([]);
    if (name !== 'channel-sender') expect(inputs.filter((i) => i.includes('node_modules/nodemailer/'))).toEqual([]);
    const mod = (await import(pathToFileURL(outfile).href)) as { handler?: unknown };
    expect(typeof mod.handler).toBe('function');
  });
});
