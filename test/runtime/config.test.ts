/**
 * A bad cairn.yaml stops the server before it listens, with a message that names the file, the key
 * path and the reason: tested through `cairn serve` and through loadConfig directly.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.ts';
import { cairnEnv, freePort, runCli } from '../helpers/child-server.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-config-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const writeConfig = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

/** The ConfigError message loadConfig throws for `env`, or a failure if it does not throw one. */
const configError = (env: NodeJS.ProcessEnv): string => {
  try {
    loadConfig(env, dir);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).code).toBe('CAIRN_CONFIG_INVALID');
    return (e as Error).message;
  }
  throw new Error('loadConfig accepted the configuration');
};

describe('cairn serve with a bad configuration file', () => {
  const serveWith = async (config: string) => {
    const port = await freePort();
    const env = cairnEnv({ CAIRN_CONFIG: config, CAIRN_DATA_DIR: join(dir, 'data'), CAIRN_PORT: String(port) });
    const result = await runCli(['serve'], env, '', 20_000); // a server that starts anyway is killed
    // It never listened: nothing answers on the port.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
    return result;
  };

  it.concurrent('exits non-zero and names an unknown key and its parent path', async () => {
    const path = writeConfig('unknown-key.yaml', 'server:\n  port: 8080\n  prot: 9090\n');
    const { code, stderr } = await serveWith(path);
    expect(code).not.toBe(0);
    expect(stderr).toContain(path);
    expect(stderr).toMatch(/server\b.*(unrecognized|unknown) key.*prot|server\.prot: .*unknown key/i);
    expect(stderr).not.toMatch(/\n\s+at /); // a message, not a stack trace
  });

  it.concurrent('exits non-zero and names a key of the wrong type, with the expected type', async () => {
    // (Not server.port: CAIRN_PORT, set for the run, would override it.)
    const path = writeConfig('wrong-type.yaml', 'server:\n  trustProxy: "yes"\n');
    const { code, stderr } = await serveWith(path);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${path}: server.trustProxy: `);
    expect(stderr).toMatch(/server\.trustProxy: .*expected boolean, received string/);
  });

  it.concurrent('exits non-zero on invalid YAML and says where', async () => {
    const path = writeConfig('invalid.yaml', 'server:\n  port: [8080\nauth: {\n');
    const { code, stderr } = await serveWith(path);
    expect(code).not.toBe(0);
    expect(stderr).toContain(`${path}: not valid YAML`);
    expect(stderr).toMatch(/line \d+, column \d+/);
  });
});

describe('loadConfig', () => {
  it('fills in the documented defaults when there is no file', () => {
    const config = loadConfig({}, dir);
    expect(config.configFile).toBeNull();
    expect(config.dataDir).toBe(resolve(dir, 'data'));
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 8080, trustProxy: false });
    expect(config.auth.sessionTtl).toBe(12 * 3600);
    expect(config.auth.signInAttemptsPerAccount).toEqual({ limit: 5, window: 900 });
    expect(config.auth.signInAttemptsPerAddress).toEqual({ limit: 30, window: 900 });
    expect(config.sharing.passwordAttempts).toEqual({ limit: 5, window: 900 });
    expect(config.sharing.downloadUrlTtl).toBe(60);
  });

  it('returns a deeply frozen object', () => {
    const config = loadConfig({}, dir);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.auth.signInAttemptsPerAccount)).toBe(true);
    expect(() => {
      (config.server as { port: number }).port = 1;
    }).toThrow(TypeError);
  });

  it('reads durations and sizes in human units from the file', () => {
    const path = writeConfig(
      'units.yaml',
      'auth:\n  sessionTtl: 2h\nsharing:\n  maxUploadBytes: 10MiB\n  passwordAttempts:\n    limit: 3\n    window: 5m\n',
    );
    const config = loadConfig({ CAIRN_CONFIG: path }, dir);
    expect(config.configFile).toBe(path);
    expect(config.auth.sessionTtl).toBe(7200);
    expect(config.sharing.maxUploadBytes).toBe(10 * 1024 * 1024);
    expect(config.sharing.passwordAttempts).toEqual({ limit: 3, window: 300 });
  });

  it('lets environment variables override the file', () => {
    const path = writeConfig('env.yaml', 'server:\n  port: 8080\n  trustProxy: false\n');
    const config = loadConfig(
      { CAIRN_CONFIG: path, CAIRN_PORT: '9999', CAIRN_TRUST_PROXY: 'true', CAIRN_DATA_DIR: '/var/cairn' },
      dir,
    );
    expect(config.server.port).toBe(9999);
    expect(config.server.trustProxy).toBe(true);
    expect(config.dataDir).toBe('/var/cairn');
  });

  it('names the environment variable when its value is wrong', () => {
    expect(configError({ CAIRN_PORT: 'eighty' })).toMatch(/CAIRN_PORT \(server\.port\): .*expected number/);
    expect(configError({ CAIRN_TRUST_PROXY: 'yes' })).toMatch(
      /CAIRN_TRUST_PROXY \(server\.trustProxy\): .*expected boolean/,
    );
  });

  it('names an unknown key at the top level and inside a section', () => {
    const path = writeConfig('unknown.yaml', 'bogus: 1\nauth:\n  sessionTTL: 1h\n');
    const message = configError({ CAIRN_CONFIG: path });
    expect(message).toContain(path);
    expect(message).toMatch(/bogus/);
    expect(message).toMatch(/auth\b.*sessionTTL|auth\.sessionTTL/);
  });

  it('reports every problem at once, each with its key path and reason', () => {
    const path = writeConfig(
      'many.yaml',
      'server:\n  port: 70000\nauth:\n  sessionTtl: soon\nsharing:\n  downloadUrlTtl: 5m\n',
    );
    const message = configError({ CAIRN_CONFIG: path });
    expect(message).toMatch(/server\.port: .*65535/);
    expect(message).toMatch(/auth\.sessionTtl: "soon" is not a duration/);
    expect(message).toMatch(/sharing\.downloadUrlTtl: must be at most 60 seconds/);
  });

  it('refuses invalid YAML, a top level that is not a mapping, and a missing file', () => {
    expect(configError({ CAIRN_CONFIG: writeConfig('bad.yaml', 'a: [1\n') })).toMatch(/not valid YAML/);
    expect(configError({ CAIRN_CONFIG: writeConfig('list.yaml', '- 1\n- 2\n') })).toMatch(
      /top level must be a mapping/,
    );
    expect(configError({ CAIRN_CONFIG: join(dir, 'missing.yaml') })).toMatch(
      /missing\.yaml: cannot read it \(ENOENT\)/,
    );
  });

  it('refuses a default share expiry longer than the maximum', () => {
    const path = writeConfig('expiry.yaml', 'sharing:\n  defaultExpiry: 40d\n  maxExpiry: 30d\n');
    expect(configError({ CAIRN_CONFIG: path })).toMatch(/sharing\.defaultExpiry: must not exceed sharing\.maxExpiry/);
  });
});
