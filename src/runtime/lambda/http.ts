/**
 * The HTTP API on Lambda: the same Hono app as the local server (src/http/app.ts), behind API Gateway's
 * HTTP API (payload 2.0; REST API events work too) through hono/aws-lambda. Cognito tokens come as
 * bearer tokens (the JWT authorizer has checked them already; CognitoIdentity checks them again, as the
 * app does everywhere). The web UI is CloudFront's, not this function's.
 */
import type { Context as HonoContext } from 'hono';
import { handle, type LambdaEvent } from 'hono/aws-lambda';
import { createApp } from '../../http/app.ts';
import type { AppDeps } from '../../http/context.ts';
import { clock, config, env, eventsQueue, hub, identity, sharing, unlockTokens, users } from './compose.ts';
import { required } from './env.ts';
import { logger, powertoolsLogger } from './powertools.ts';

/** The caller's address as API Gateway saw it (never a client-supplied header). */
export function clientAddress(c: HonoContext): string {
  const event = (c.env as { event?: LambdaEvent } | undefined)?.event as
    { requestContext?: { http?: { sourceIp?: string }; identity?: { sourceIp?: string } } } | undefined;
  return event?.requestContext?.http?.sourceIp ?? event?.requestContext?.identity?.sourceIp ?? 'unknown';
}

export async function appDeps(): Promise<AppDeps> {
  const e = env();
  const deps: AppDeps = {
    sharing: sharing().service,
    users: users(),
    identity: identity(),
    unlockTokens: await unlockTokens(),
    logger,
    publicUrl: required(e, 'PUBLIC_URL').replace(/\/+$/, ''),
    clientAddress,
    secureCookies: true,
    sessionTtlSeconds: config().auth.sessionTtl,
  };
  if (e.HUB_TABLE && e.EVENTS_TABLE) {
    const h = await hub();
    deps.hub = {
      ingest: h.ingest(),
      history: h.history,
      deliveries: h.deliveries,
      queues: () => new Map([['events', eventsQueue() as never]]),
      silences: h.silences,
      silenceStore: h.silenceStore,
      subscriptions: h.subscriptions,
      clock,
    };
  }
  return deps;
}

let app: Promise<ReturnType<typeof handle>> | undefined;

export const handler: ReturnType<typeof handle> = async (event, context) => {
  app ??= appDeps().then((deps) => handle(createApp(deps)));
  app.catch(() => (app = undefined));
  if (context) powertoolsLogger.addContext(context as never);
  return (await app)(event, context);
};
