import type { ComponentChildren } from 'preact';
import { formatBytes, pluralize } from '../lib/format.ts';
import type { Share } from '../lib/types.ts';
import { StatusBadge } from './status-badge.tsx';
import { Time } from './time.tsx';

export function shareTitle(share: Share): string {
  const first = share.files[0]?.name ?? 'Share';
  return share.files.length > 1 ? `${first} and ${pluralize(share.files.length - 1, 'more file')}` : first;
}

/** What every share card shows first: its title, status, and the facts (expiry, size, downloads). */
export function ShareSummary({
  share,
  headingId,
  from,
  children,
}: {
  share: Share;
  headingId: string;
  from?: string;
  /** More facts (`<div><dt/><dd/></div>`) for the same list. */
  children?: ComponentChildren;
}) {
  const total = share.files.reduce((sum, f) => sum + f.size, 0);
  return (
    <div class="share-summary">
      <div class="share-title-row">
        <h2 id={headingId} class="share-title" data-testid="share-title">
          {shareTitle(share)}
        </h2>
        <StatusBadge status={share.status} />
      </div>
      <dl class="facts">
        {from && (
          <div>
            <dt>From</dt>
            <dd data-testid="share-owner">{from}</dd>
          </div>
        )}
        <div>
          <dt>{share.status === 'expired' ? 'Expired' : 'Expires'}</dt>
          <dd>
            <Time iso={share.expiresAt} relative />
          </dd>
        </div>
        {share.status === 'revoked' && share.revokedAt && (
          <div>
            <dt>Revoked</dt>
            <dd>
              <Time iso={share.revokedAt} />
            </dd>
          </div>
        )}
        <div>
          <dt>Size</dt>
          <dd>
            {pluralize(share.files.length, 'file')}, {formatBytes(total)}
          </dd>
        </div>
        <div>
          <dt>Downloads</dt>
          <dd data-testid="download-count">
            {share.downloadCount}
            {share.maxDownloads !== null ? ` of ${share.maxDownloads}` : ''}
          </dd>
        </div>
        {children}
      </dl>
    </div>
  );
}
