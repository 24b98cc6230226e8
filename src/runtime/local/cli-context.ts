import { silentLogger } from '../../ports/logger.ts';
import { composeLocal } from './compose.ts';
import { loadConfig } from '../../config/load.ts';

/** CLI commands work on the data directory directly (the server may or may not be running). */
export async function withServices<T>(fn: (s: Awaited<ReturnType<typeof composeLocal>>) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const host = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const publicUrl = (config.server.publicUrl ?? `http://${host}:${config.server.port}`).replace(/\/+$/, '');
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
