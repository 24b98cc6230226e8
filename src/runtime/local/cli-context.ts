import { silentLogger } from '../../ports/logger.ts';
import type { LocalServices } from './compose.ts';

/** CLI commands work on the data directory directly (the server may or may not be running). */
export async function withServices<T>(fn: (s: LocalServices) => Promise<T>): Promise<T> {
  const { loadConfig } = await import('../../config/load.ts');
  const config = loadConfig();
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const publicUrl = (config.server.publicUrl ?? `http://${host}:${config.server.port}`).replace(/\/+$/, '');
  const { composeLocal } = await import('./compose.ts'); // on demand: offline commands start fast
  const services = await composeLocal(config, { logger: silentLogger, publicUrl });
  try {
    return await fn(services);
  } finally {
    services.close();
  }
}

export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY)
    throw new Error('give the password on standard input, e.g. `echo "$PASS" | npx cairn user add NAME`');
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}
