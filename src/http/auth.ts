import type { Context, MiddlewareHandler } from 'hono';
import { getCookie } from 'hono/cookie';
import { forbidden, unauthorized } from '../core/errors.ts';
import type { Principal } from '../ports/identity.ts';
import { type AppDeps, type Env, SESSION_COOKIE } from './context.ts';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Reads the session from `Authorization: Bearer` (API clients) or the HttpOnly cookie (the web UI).
 * Cookie-authenticated writes must come from our own origin (CSRF): the browser's Origin header, or
 * Sec-Fetch-Site, must say same-origin. Bearer tokens are not sent by browsers on their own, so they
 * need no such check.
 */
export function readSession(deps: AppDeps): MiddlewareHandler<Env> {
  return async (c, next) => {
    c.set('principal', null);
    c.set('authVia', null);
    const header = c.req.header('authorization');
    if (header?.toLowerCase().startsWith('bearer ')) {
      const principal = await deps.identity.verify(header.slice(7).trim());
      if (!principal)
        throw unauthorized('CAIRN_TOKEN_INVALID', 'The bearer token is invalid or expired: sign in again.');
      c.set('principal', principal);
      c.set('authVia', 'bearer');
    } else {
      const cookie = getCookie(c, SESSION_COOKIE);
      const principal = cookie ? await deps.identity.verify(cookie) : null;
      if (principal) {
        c.set('principal', principal);
        c.set('authVia', 'cookie');
      }
    }
    if (!SAFE.has(c.req.method) && c.get('authVia') !== 'bearer' && hasCookies(c) && !sameOrigin(c)) {
      throw forbidden(
        'CAIRN_CSRF',
        'Cross-site request refused: send it from the Cairn web UI or with a bearer token.',
      );
    }
    await next();
  };
}

function hasCookies(c: Context) {
  return (c.req.header('cookie') ?? '').length > 0;
}

function sameOrigin(c: Context): boolean {
  const site = c.req.header('sec-fetch-site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = c.req.header('origin');
  if (!origin) return false;
  try {
    return new URL(origin).host === new URL(c.req.url).host;
  } catch {
    return false;
  }
}

export function requireUser(c: Context<Env>): Principal {
  const p = c.get('principal');
  if (!p)
    throw unauthorized(
      'CAIRN_SIGN_IN_REQUIRED',
      'Sign in first: POST /api/auth/login, then send the token as a bearer token.',
    );
  return p;
}

export function requireAdmin(c: Context<Env>): Principal {
  const p = requireUser(c);
  if (!p.admin) throw forbidden('CAIRN_ADMIN_REQUIRED', 'Only an admin can do this.');
  return p;
}
