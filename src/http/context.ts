import type { Context } from 'hono';
import type { SharingService } from '../core/sharing/service.ts';
import type { UserService } from '../core/users/service.ts';
import type { Identity, Principal } from '../ports/identity.ts';
import type { Logger } from '../ports/logger.ts';
import type { SessionTokens } from '../core/users/service.ts';
import type { MiddlewareHandler } from 'hono';
import type { AlertsAdminDeps } from './routes/alerts-admin.ts';
import type { BackupRouteDeps } from './routes/backups.ts';
import type { LogRouteDeps } from './routes/logs.ts';
import type { EventRouteDeps } from './routes/events.ts';
import type { HookRouteDeps } from './routes/hooks.ts';

/** Everything the HTTP app needs, passed in by the runtime (local server or Lambda). */
export interface AppDeps {
  sharing: SharingService;
  users: UserService;
  identity: Identity;
  /** Signs per-share unlock cookies (a share password was given). */
  unlockTokens: SessionTokens;
  logger: Logger;
  /** Absolute base URL for links handed to users, without a trailing slash. */
  publicUrl: string;
  /** The client's address as the runtime knows it (socket, or a trusted proxy's header). */
  clientAddress(c: Context): string;
  /** Cookies get `Secure` when served over https. */
  secureCookies: boolean;
  sessionTtlSeconds: number;
  /** The notification hub's routes, when the runtime runs it. */
  hub?: { ingest: HookRouteDeps['ingest'] } & EventRouteDeps & AlertsAdminDeps;
  /** The log agent's routes (ingest, metrics, alarms), when the runtime runs it. */
  logs?: LogRouteDeps;
  /** The backup capability's routes, when the runtime runs it. */
  backups?: BackupRouteDeps['backups'];
  /** Serves the web UI (local runtime); on AWS, CloudFront serves it. */
  web?: MiddlewareHandler;
}

export type Env = { Variables: { principal: Principal | null; authVia: 'cookie' | 'bearer' | null } };

export const SESSION_COOKIE = 'cairn_session';
