import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { configSchema, type ConfigFile } from './schema.ts';

import { ConfigError } from './errors.ts';

export { ConfigError };

export type CairnConfig = ConfigFile & { configFile: string | null };

export { configSchema };

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
    const lines = result.error.issues.flatMap((i) => {
      if (i.code === 'unrecognized_keys') {
        // Name each unknown key by its full path, so `server.prot` is easy to find and fix.
        return i.keys.map((k) => `${file ?? 'config'}: ${[...i.path, k].join('.')}: unknown key`);
      }
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
