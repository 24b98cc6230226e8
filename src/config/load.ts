import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { parseByteSize, parseDurationSeconds } from '../../core/units.ts';

/** A config problem: names the file or variable, the key path and the reason; the process stops. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CAIRN_CONFIG_INVALID';
}

const seconds = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const s = parseDurationSeconds(v);
  if (s === null)
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a duration: use seconds or e.g. 90s, 15m, 12h, 7d` });
  return s ?? 0;
});
const bytes = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const b = parseByteSize(v);
  if (b === null)
    ctx.addIssue({ code: 'custom', message: `"${v}" is not a size: use bytes or e.g. 512KiB, 100MB, 5GiB` });
  return b ?? 0;
});
const attempts = z.object({ limit: z.number().int().min(1).default(5), window: seconds.default(900) }).strict();

export const configSchema = z
  .object({
    server: z
      .object({
        host: z.string().min(1).default('127.0.0.1'),
        port: z.number().int().min(0).max(65535).default(8080),
        /** The absolute base of links handed to users; defaults to http://host:port. */
        publicUrl: z.url().optional(),
        /** Trust X-Forwarded-For from a reverse proxy. Off: the socket address is the client's. */
        trustProxy: z.boolean().default(false),
      })
      .strict()
      .prefault({}),
    dataDir: z.string().min(1).default('./data'),
    log: z
      .object({ level: z.enum(['debug', 'info', 'warn', 'error', 'silent']).default('info') })
      .strict()
      .prefault({}),
    auth: z
      .object({
        adminUsername: z.string().min(1).default('admin'),
        sessionTtl: seconds.default(12 * 3600),
        signInAttemptsPerAccount: attempts.prefault({}),
        signInAttemptsPerAddress: attempts.prefault({ limit: 30 }),
      })
      .strict()
      .prefault({}),
    sharing: z
      .object({
        maxUploadBytes: bytes.default(5 * 1024 ** 3),
        uploadUrlTtl: seconds.default(6 * 3600),
        defaultExpiry: seconds.default(7 * 86400),
        maxExpiry: seconds.default(30 * 86400),
        downloadUrlTtl: seconds.pipe(z.number().min(1).max(60, 'must be at most 60 seconds')).default(60),
        unsharedFileGrace: seconds.default(86400),
        sweepInterval: seconds.pipe(z.number().min(1)).default(60),
        passwordAttempts: attempts.prefault({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type CairnConfig = z.infer<typeof configSchema> & { configFile: string | null };

/** Environment variables that override a key of the file (documented in the README). */
const ENV_KEYS: [string, string[], 'string' | 'number' | 'boolean'][] = [
  ['CAIRN_HOST', ['server', 'host'], 'string'],
  ['CAIRN_PORT', ['server', 'port'], 'number'],
  ['CAIRN_PUBLIC_URL', ['server', 'publicUrl'], 'string'],
  ['CAIRN_TRUST_PROXY', ['server', 'trustProxy'], 'boolean'],
  ['CAIRN_DATA_DIR', ['dataDir'], 'string'],
  ['CAIRN_LOG_LEVEL', ['log', 'level'], 'string'],
  ['CAIRN_MAX_UPLOAD_BYTES', ['sharing', 'maxUploadBytes'], 'string'],
];

export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Readonly<CairnConfig> {
  const file = env.CAIRN_CONFIG ? resolve(cwd, env.CAIRN_CONFIG) : null;
  let raw: unknown = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      throw new ConfigError(
        `${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? String(e)}); check CAIRN_CONFIG`,
      );
    }
    try {
      raw = parseYaml(text) ?? {};
    } catch (e) {
      throw new ConfigError(`${file}: not valid YAML: ${(e as Error).message}`);
    }
    if (typeof raw !== 'object' || Array.isArray(raw))
      throw new ConfigError(`${file}: the top level must be a mapping of keys`);
  }
  const merged = structuredClone(raw) as Record<string, unknown>;
  const fromEnv = new Map<string, string>();
  for (const [name, path, type] of ENV_KEYS) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    let v: unknown = value;
    if (type === 'number') v = /^\d+$/.test(value) ? Number(value) : value;
    if (type === 'boolean')
      v = value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;
    setPath(merged, path, v);
    fromEnv.set(path.join('.'), name);
  }
  const result = configSchema.safeParse(merged);
  if (!result.success) {
    const lines = result.error.issues.map((i) => {
      const key = i.path.join('.') || '(top level)';
      const where = fromEnv.get(key) ? `${fromEnv.get(key)} (${key})` : `${file ?? 'config'}: ${key}`;
      return `${where}: ${i.message}`;
    });
    throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const config = { ...result.data, dataDir: resolve(cwd, result.data.dataDir), configFile: file };
  if (config.sharing.defaultExpiry > config.sharing.maxExpiry) {
    throw new ConfigError(
      `${file ?? 'config'}: sharing.defaultExpiry: must not exceed sharing.maxExpiry (${config.sharing.maxExpiry} s)`,
    );
  }
  return deepFreeze(config);
}

function setPath(obj: Record<string, unknown>, path: string[], value: unknown) {
  let node = obj;
  for (const key of path.slice(0, -1)) {
    if (typeof node[key] !== 'object' || node[key] === null) node[key] = {};
    node = node[key] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
