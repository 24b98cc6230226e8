/** A config problem: names the file or variable, the key path and the reason; the process stops. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly code = 'CAIRN_CONFIG_INVALID';
}
