import { forbidden, gone, notFound, unauthorized } from '../errors.ts';
import type { Principal } from '../../ports/identity.ts';
import type { Share } from './model.ts';

/** Who is asking for a share, as the HTTP layer saw them. */
export interface Viewer {
  principal: Principal | null;
  /** The share ids this viewer unlocked with the share's password (from a per-share cookie). */
  unlockedShareIds: ReadonlySet<string>;
}

export const shareNotFound = () =>
  notFound('CAIRN_SHARE_NOT_FOUND', 'No such share: check the link, or ask its owner for a new one.');

/**
 * The one place that decides whether a viewer may see and download a share. Unknown and foreign shares
 * are indistinguishable (404) so share ids cannot be probed.
 */
export function checkAccess(share: Share | null, viewer: Viewer, now: Date, options: { needUnlock: boolean }): Share {
  if (!share) throw shareNotFound();
  const isOwner = viewer.principal?.username === share.owner;
  if (share.kind === 'recipients' && !isOwner) {
    if (!viewer.principal)
      throw unauthorized('CAIRN_SIGN_IN_REQUIRED', 'This share is for named recipients: sign in to download it.');
    if (!share.recipients.includes(viewer.principal.username)) throw shareNotFound();
  }
  if (share.status === 'revoked') throw gone('CAIRN_SHARE_REVOKED', 'This share was revoked by its owner.');
  if (share.status === 'expired' || share.expiresAt.getTime() <= now.getTime()) {
    throw gone('CAIRN_SHARE_EXPIRED', `This share expired at ${share.expiresAt.toISOString()}.`);
  }
  if (share.maxDownloads !== null && share.downloadCount >= share.maxDownloads) {
    throw gone('CAIRN_SHARE_DOWNLOAD_LIMIT', 'This share reached its download limit.');
  }
  if (options.needUnlock && share.passwordHash && !isOwner && !viewer.unlockedShareIds.has(share.id)) {
    throw forbidden('CAIRN_SHARE_LOCKED', 'This share is protected by a password: unlock it first.');
  }
  return share;
}
