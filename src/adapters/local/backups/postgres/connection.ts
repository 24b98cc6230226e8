/**
 * What the Postgres source and hot target share: a pool whose sessions speak UTC and ISO dates, a
 * checkout that cannot crash the process when the server drops the connection, and the translation of
 * driver errors into CairnErrors. Messages name `host:port/database` only: URLs may carry a password.
 */
import pg from 'pg';
import { CairnError, isCairnError } from '../../../../core/errors.ts';

export interface PgPoolOptions {
  url: string;
  /** Connections at most (the runner's chunk concurrency, plus one for planning). */
  max: number;
  /** Any one statement (e.g. one FETCH) longer than this is cancelled. */
  statementTimeoutMs: number;
  connectTimeoutMs: number;
  applicationName: string;
}

export function createPool(o: PgPoolOptions): pg.Pool {
  const settings = [
    '-c TimeZone=UTC',
    '-c DateStyle=ISO',
    '-c bytea_output=hex',
    '-c extra_float_digits=1',
    '-c standard_conforming_strings=on',
    `-c statement_timeout=${Math.max(0, Math.floor(o.statementTimeoutMs))}`,
    // A holder that died mid-transaction releases its snapshot on the server soon after.
    `-c idle_in_transaction_session_timeout=${Math.max(60_000, Math.floor(o.statementTimeoutMs))}`,
  ];
  const pool = new pg.Pool({
    connectionString: o.url,
    max: o.max,
    connectionTimeoutMillis: o.connectTimeoutMs,
    idleTimeoutMillis: 30_000,
    application_name: o.applicationName,
    options: settings.join(' '),
    keepAlive: true,
    // The client's own limit, for a server that vanished without closing the connection.
    query_timeout: o.statementTimeoutMs > 0 ? o.statementTimeoutMs + 5_000 : undefined,
  });
  // An idle connection the server drops must not become an unhandled 'error' event.
  pool.on('error', () => {});
  return pool;
}

/** `host:port/database` of a URL, without user or password. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '5432'}${u.pathname}`;
  } catch {
    return 'an unparsable Postgres URL';
  }
}

export interface Checkout {
  client: pg.PoolClient;
  /** Returns the connection; `broken` (or a failure seen meanwhile) destroys it instead. */
  release(broken?: boolean): void;
}

/** A pooled connection with an 'error' listener for as long as it is checked out. */
export async function checkout(pool: pg.Pool): Promise<Checkout> {
  const client = await pool.connect();
  let failed = false;
  const onError = () => {
    failed = true;
  };
  client.on('error', onError);
  let done = false;
  return {
    client,
    release(broken = false) {
      if (done) return;
      done = true;
      client.removeListener('error', onError);
      client.release(broken || failed ? true : undefined);
    },
  };
}

export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** SQLSTATE classes and codes that mean "the server is not there (any more)", not "you asked wrongly". */
const GONE_STATES = new Set(['57P01', '57P02', '57P03', '57014', '53300', '40001', '55P03']);
const GONE_CLASSES = ['08', '53', '58'];
const GONE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
const INVALID_CLASSES = ['42', '22', '3D', '3F', '28'];

export type PgErrorClass = 'gone' | 'invalid' | 'failed';

export function classifyPgError(err: unknown): PgErrorClass {
  const e = err as { code?: unknown; message?: unknown };
  const code = typeof e?.code === 'string' ? e.code : '';
  const message = typeof e?.message === 'string' ? e.message : '';
  if (GONE_ERRNOS.has(code) || GONE_STATES.has(code) || GONE_CLASSES.some((c) => code.startsWith(c))) return 'gone';
  if (
    /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Query read timeout/i.test(
      message,
    )
  ) {
    return 'gone';
  }
  if (code.length === 5 && INVALID_CLASSES.some((c) => code.startsWith(c))) return 'invalid';
  return 'failed';
}

export function pgReason(err: unknown): string {
  const e = err as { code?: unknown; message?: unknown };
  const message = typeof e?.message === 'string' && e.message ? e.message : String(err);
  return typeof e?.code === 'string' && e.code.length === 5 ? `${message} (SQLSTATE ${e.code})` : message;
}

/** Wraps a driver error once; CairnErrors pass through unchanged. */
export function translatePgError(
  err: unknown,
  what: string,
  make: Record<PgErrorClass, (message: string, cause?: unknown) => CairnError>,
): CairnError {
  if (isCairnError(err)) return err;
  const kind = classifyPgError(err);
  const suffix = kind === 'gone' ? ' (the server is unreachable or went away)' : '';
  return make[kind](`${what}: ${pgReason(err)}${suffix}`, err);
}
