import pino from 'pino';
import type { Logger } from '../../ports/logger.ts';

/** Structured JSON logs on stdout. Field names that may carry secrets are redacted as a second guard. */
export function createLogger(level: string): Logger {
  const p = pino({
    level,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: ['password', 'token', '*.password', '*.token', 'authorization', 'cookie'], censor: '[redacted]' },
  });
  return {
    debug: (f, m) => p.debug(f, m),
    info: (f, m) => p.info(f, m),
    warn: (f, m) => p.warn(f, m),
    error: (f, m) => p.error(f, m),
  };
}
