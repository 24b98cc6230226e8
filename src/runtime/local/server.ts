import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import type { Context } from 'hono';
import type { Clock } from '../../core/clock.ts';
import { createObjectRequestHandler } from '../../adapters/local/object-store/object-handler.ts';
import { createApp } from '../../http/app.ts';
import type { Logger } from '../../ports/logger.ts';
import { type LocalServices, composeLocal } from './compose.ts';
import type { CairnConfig } from '../../config/load.ts';
import { startBackups } from './backups.ts';
import { type LogAgent, logIngestTokens, startLogAgent } from './log-agent.ts';
import { type Hub, startHub } from './hub.ts';
import { webAssets } from './web-assets.ts';

export interface RunningServer {
  url: string;
  port: number;
  services: LocalServices;
  hub: Hub;
  logAgent: LogAgent;
  close(): Promise<void>;
}

const WEB_ROOT = fileURLToPath(new URL('../../../dist/web', import.meta.url));

/**
 * Starts Cairn in one process: the HTTP app, the object URL endpoint and the sweeper. It listens first
 * (answering 503 until ready) so that a port of 0 yields the real address before links are signed.
 */
export async function startServer(
  config: CairnConfig,
  options: { logger: Logger; env?: NodeJS.ProcessEnv; sweep?: boolean; clock?: Clock },
): Promise<RunningServer> {
  const { logger } = options;
  const env = options.env ?? process.env;
  let handler: (req: IncomingMessage, res: ServerResponse) => void = (_req, res) => {
    res
      .writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' })
      .end('{"error":{"code":"CAIRN_STARTING","message":"Starting; try again in a moment."}}');
  };
  const server = createServer({ highWaterMark: 1 << 20 }, (req, res) => handler(req, res));
  server.requestTimeout = 0; // multi-GiB uploads may take long; headersTimeout still guards slowloris
  server.headersTimeout = 30_000;
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.server.port, config.server.host, resolve);
  });
  const port = (server.address() as AddressInfo).port;
  const hostForUrl = config.server.host.includes(':') ? `[${config.server.host}]` : config.server.host;
  const publicUrl = (config.server.publicUrl ?? `http://${hostForUrl}:${port}`).replace(/\/+$/, '');

  const services = await composeLocal(config, {
    logger,
    publicUrl,
    env,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await bootstrapAdmin(services, config, env, logger);
  const backups = await startBackups(config, {
    db: services.db,
    objects: services.objects,
    events: services.events,
    clock: services.clock,
    logger,
    env,
  });
  const hub = await startHub({
    config,
    db: services.db,
    queueFile: join(config.dataDir, 'queue.db'),
    clock: services.clock,
    logger,
    env,
    publicUrl,
  });

  const logAgent = await startLogAgent(config.logs, {
    db: services.db,
    events: hub.events,
    logger,
    clock: services.clock,
    cwd: config.configFile ? dirname(config.configFile) : process.cwd(),
  });

  const clientAddress = (c: Context) => {
    const incoming = (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
    const socketAddr = incoming?.socket.remoteAddress ?? 'unknown';
    if (!config.server.trustProxy) return socketAddr;
    const forwarded = c.req
      .header('x-forwarded-for')
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    return forwarded?.at(-1) ?? socketAddr;
  };
  const app = createApp({
    sharing: services.sharing,
    users: services.users,
    identity: services.identity,
    unlockTokens: services.unlockTokens,
    logger,
    publicUrl,
    clientAddress,
    secureCookies: publicUrl.startsWith('https:'),
    sessionTtlSeconds: config.auth.sessionTtl,
    hub: {
      ingest: hub.ingest,
      history: hub.history,
      deliveries: hub.deliveries,
      queues: hub.queues,
      silences: hub.silences,
      silenceStore: hub.silenceStore,
      subscriptions: hub.subscriptions,
      clock: services.clock,
    },
    backups: backups.service,
    logs: { agent: logAgent, ingestTokens: logIngestTokens(config.logs, env) },
    web: webAssets(WEB_ROOT),
  });
  const honoListener = getRequestListener(app.fetch);
  const objectHandler = createObjectRequestHandler({
    store: services.objects,
    signer: services.signer,
    clock: services.clock,
    scopeCheck: (scope) => services.sharing.isScopeActive(scope),
    logger,
  });
  handler = (req, res) => {
    if (req.url?.startsWith('/o/')) {
      objectHandler(req, res).catch((err: unknown) => {
        logger.error({ err: String(err) }, 'object request failed');
        if (!res.headersSent)
          res
            .writeHead(500, { 'content-type': 'application/json' })
            .end('{"error":{"code":"CAIRN_INTERNAL","message":"internal error"}}');
        else res.destroy();
      });
    } else {
      void honoListener(req, res);
    }
  };

  const sweepTimer =
    options.sweep === false
      ? null
      : setInterval(() => void sweep(services, logger), config.sharing.sweepInterval * 1000);
  sweepTimer?.unref();
  if (options.sweep !== false) void sweep(services, logger);
  logger.info({ url: publicUrl, dataDir: config.dataDir }, 'cairn is listening');

  return {
    url: publicUrl,
    port,
    services,
    hub,
    logAgent,
    async close() {
      if (sweepTimer) clearInterval(sweepTimer);
      await logAgent.stop();
      await backups.stop();
      await hub.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      services.close();
    },
  };
}

async function sweep(services: LocalServices, logger: Logger) {
  try {
    await services.sweeper.sweep();
    await services.objects.sweepTemp(60 * 60 * 1000);
  } catch (err) {
    logger.error({ err: String(err) }, 'sweep failed');
  }
}

/** The first start creates the admin account: password from CAIRN_ADMIN_PASSWORD, or one printed once. */
async function bootstrapAdmin(services: LocalServices, config: CairnConfig, env: NodeJS.ProcessEnv, logger: Logger) {
  if ((await services.usersRepo.count()) > 0) return;
  const given = env.CAIRN_ADMIN_PASSWORD;
  const password = given && given.length > 0 ? given : randomBytes(18).toString('base64url');
  await services.users.addUser({
    username: config.auth.adminUsername,
    password,
    displayName: 'Administrator',
    admin: true,
  });
  logger.info({ username: config.auth.adminUsername }, 'created the admin account');
  if (!given) {
    // Printed to the terminal once, never to the structured log.
    process.stderr.write(
      `\n  Cairn admin account created.\n  username: ${config.auth.adminUsername}\n  password: ${password}\n  (shown once; change it with: npx cairn user passwd ${config.auth.adminUsername})\n\n`,
    );
  }
}
