/**
 * Resolves each source's secret once, at start, from `secret`, `secretEnv` or `secretFile`. The core does
 * no I/O: the runtime passes the environment and a file reader in.
 */
import { secretMissing } from './errors.ts';

export interface SecretIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Reads a UTF-8 file; throws (with an errno `code`) when it cannot. */
  readFile(path: string): string;
}

export interface SecretRef {
  secret?: string | undefined;
  secretEnv?: string | undefined;
  secretFile?: string | undefined;
}

/** `path` is the config key, e.g. `alerts.sources.grafana.verify`, used in the error message. */
export function resolveSecret(path: string, ref: SecretRef, io: SecretIo): string {
  let value: string;
  let where: string;
  if (ref.secret !== undefined) {
    [value, where] = [ref.secret, `${path}.secret`];
  } else if (ref.secretEnv !== undefined) {
    where = `${path}.secretEnv`;
    const v = io.env[ref.secretEnv];
    if (v === undefined) throw secretMissing(where, `the environment variable ${ref.secretEnv} is not set`);
    value = v;
  } else if (ref.secretFile !== undefined) {
    where = `${path}.secretFile`;
    try {
      value = io.readFile(ref.secretFile);
    } catch (e) {
      const code = (e as { code?: string }).code ?? String(e);
      throw secretMissing(where, `cannot read the file ${ref.secretFile} (${code})`);
    }
  } else {
    throw secretMissing(path, 'give one of secret, secretEnv or secretFile');
  }
  // Files and variables usually end with a newline that is not part of the secret.
  const trimmed = value.trim();
  if (trimmed === '') throw secretMissing(where, 'the secret is empty');
  return trimmed;
}
