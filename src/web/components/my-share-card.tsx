import { useState } from 'preact/hooks';
import { absoluteUrl } from '../lib/format.ts';
import type { Share } from '../lib/types.ts';
import { AuditLog } from './audit-log.tsx';
import { CopyField } from './copy-button.tsx';
import { FileList } from './file-list.tsx';
import { RevokeButton } from './revoke-button.tsx';
import { ShareSummary } from './share-summary.tsx';
import { Time } from './time.tsx';

/** One of my shares: what it holds, who can open it, its link, its audit log, and revocation. */
export function MyShareCard({ share, onRevoked }: { share: Share; onRevoked: (id: string) => void }) {
  const [showLog, setShowLog] = useState(false);
  const headingId = `share-${share.id}`;
  const logId = `audit-${share.id}`;
  return (
    <article class="card share-card" aria-labelledby={headingId} data-testid="share-card" data-share-id={share.id}>
      <ShareSummary share={share} headingId={headingId}>
        <div>
          <dt>Access</dt>
          <dd data-testid="share-access">
            {share.kind === 'link' ? 'Anyone with the link' : 'Specific people'}
            {share.hasPassword ? ' · password protected' : ''}
          </dd>
        </div>
        {share.kind === 'recipients' && (
          <div>
            <dt>Recipients</dt>
            <dd data-testid="share-recipients">{share.recipients.join(', ') || '—'}</dd>
          </div>
        )}
        <div>
          <dt>Created</dt>
          <dd>
            <Time iso={share.createdAt} />
          </dd>
        </div>
      </ShareSummary>
      <FileList files={share.files} />
      {share.status === 'active' && (
        <CopyField value={absoluteUrl(share.url)} label={`Link to ${share.files[0]?.name ?? 'share'}`} />
      )}
      <div class="card-actions">
        <button
          type="button"
          class="button"
          aria-expanded={showLog}
          aria-controls={logId}
          onClick={() => setShowLog((v) => !v)}
          data-testid="toggle-audit-log"
        >
          {showLog ? 'Hide audit log' : 'Audit log'}
        </button>
        {share.status === 'active' && <RevokeButton shareId={share.id} onRevoked={() => onRevoked(share.id)} />}
      </div>
      {showLog && (
        <section id={logId} aria-label="Audit log">
          <AuditLog shareId={share.id} />
        </section>
      )}
    </article>
  );
}
