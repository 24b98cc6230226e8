import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Clock, systemClock } from '../../core/clock.ts';
import { FailureRateLimiter } from '../../core/rate-limiter.ts';
import type { SharingLimits } from '../../core/sharing/limits.ts';
import { SharingService } from '../../core/sharing/service.ts';
import { ShareSweeper } from '../../core/sharing/sweeper.ts';
import { UserService } from '../../core/users/service.ts';
import { SqliteEventBus } from '../../adapters/local/event-bus.ts';
import { JwtSessionTokens } from '../../adapters/local/jwt-tokens.ts';
import { LocalKeyService } from '../../adapters/local/key-service.ts';
import { LocalIdentity } from '../../adapters/local/local-identity.ts';
import { DiskObjectStore } from '../../adapters/local/object-store/disk-object-store.ts';
import { UrlSigner } from '../../adapters/local/object-store/url-signer.ts';
import { ScryptHasher } from '../../adapters/local/scrypt-hasher.ts';
import { SqliteAuditRepository } from '../../adapters/local/sqlite/audit-repository.ts';
import { openDatabase } from '../../adapters/local/sqlite/db.ts';
import { SqliteFileRepository } from '../../adapters/local/sqlite/file-repository.ts';
import { SqliteShareRepository } from '../../adapters/local/sqlite/share-repository.ts';
import { SqliteUserRepository } from '../../adapters/local/sqlite/user-repository.ts';
import type { Logger } from '../../ports/logger.ts';
import type { CairnConfig } from '../../config/load.ts';

export function sharingLimits(config: CairnConfig): SharingLimits {
  const s = config.sharing;
  return {
    maxUploadBytes: s.maxUploadBytes,
    uploadUrlTtlSeconds: s.uploadUrlTtl,
    defaultExpiresInSeconds: s.defaultExpiry,
    maxExpiresInSeconds: s.maxExpiry,
    downloadUrlTtlSeconds: s.downloadUrlTtl,
    maxPresignSeconds: 7 * 86400,
    maxFilesPerShare: 100,
    maxRecipients: 50,
    unsharedFileGraceSeconds: s.unsharedFileGrace,
  };
}

/**
 * Wires the local adapters (SQLite, encrypted disk, HMAC URLs, scrypt, JWTs) to the core. Used by the
 * server and by CLI commands, which work on the same data directory whether or not a server runs.
 */
export async function composeLocal(
  config: CairnConfig,
  options: { logger: Logger; publicUrl: string; env?: NodeJS.ProcessEnv; clock?: Clock },
) {
  const { logger, publicUrl } = options;
  const env = options.env ?? process.env;
  const clock = options.clock ?? systemClock;
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(join(config.dataDir, 'cairn.db'));
  const keys = await LocalKeyService.open({
    dataDir: config.dataDir,
    ...(env.CAIRN_MASTER_KEY ? { masterKeyBase64: env.CAIRN_MASTER_KEY } : {}),
  });
  const signer = new UrlSigner({ baseUrl: publicUrl, key: keys.urlSigningKey(), clock });
  const objects = await DiskObjectStore.open({
    dataDir: config.dataDir,
    keys,
    signer,
    namesKey: keys.objectNamesKey(),
    clock,
  });
  const hasher = new ScryptHasher();
  const usersRepo = new SqliteUserRepository(db);
  const files = new SqliteFileRepository(db);
  const shares = new SqliteShareRepository(db);
  const audit = new SqliteAuditRepository(db);
  const events = new SqliteEventBus(db, logger);
  const limits = sharingLimits(config);
  const a = config.auth;
  const users: UserService = new UserService({
    users: usersRepo,
    onUserRemoved: (username: string): Promise<number> => sharing.revokeAllOwnedBy(username),
    hasher,
    tokens: new JwtSessionTokens(keys.deriveKey('cairn/session/v1'), a.sessionTtl, clock),
    clock,
    accountLimiter: new FailureRateLimiter(
      { limit: a.signInAttemptsPerAccount.limit, windowSeconds: a.signInAttemptsPerAccount.window },
      clock,
      'CAIRN_SIGN_IN_RATE_LIMITED',
      'sign-ins for this account',
    ),
    addressLimiter: new FailureRateLimiter(
      { limit: a.signInAttemptsPerAddress.limit, windowSeconds: a.signInAttemptsPerAddress.window },
      clock,
      'CAIRN_SIGN_IN_RATE_LIMITED',
      'sign-ins from your address',
    ),
  });
  const identity: LocalIdentity = new LocalIdentity(usersRepo, users);
  const p = config.sharing.passwordAttempts;
  const sharing: SharingService = new SharingService({
    files,
    shares,
    audit,
    identity,
    objects,
    hasher,
    events,
    clock,
    limits,
    unlockLimiter: new FailureRateLimiter(
      { limit: p.limit, windowSeconds: p.window },
      clock,
      'CAIRN_SHARE_PASSWORD_RATE_LIMITED',
      'password attempts for this share',
    ),
    shareUnlockLimiter: new FailureRateLimiter(
      { limit: p.limit * 10, windowSeconds: p.window },
      clock,
      'CAIRN_SHARE_PASSWORD_RATE_LIMITED',
      'password attempts for this share',
    ),
  });
  const sweeper = new ShareSweeper({ files, shares, objects, events, clock, limits, logger });
  const unlockTokens = new JwtSessionTokens(keys.deriveKey('cairn/share-unlock/v1'), 3600, clock, 'cairn-share-unlock');
  return {
    adminUsername: config.auth.adminUsername,
    publicUrl,
    db,
    keys,
    signer,
    objects,
    users,
    usersRepo,
    identity,
    sharing,
    sweeper,
    events,
    unlockTokens,
    clock,
    close: () => db.close(),
  };
}

export type LocalServices = Awaited<ReturnType<typeof composeLocal>>;
