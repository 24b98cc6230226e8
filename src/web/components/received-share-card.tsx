import type { Share } from '../lib/types.ts';
import { FileList } from './file-list.tsx';
import { ShareSummary } from './share-summary.tsx';

/** A share someone sent me: its files with download links while it is active. */
export function ReceivedShareCard({ share }: { share: Share }) {
  const headingId = `received-${share.id}`;
  const active = share.status === 'active';
  const base = share.url.replace(/\/+$/, '');
  return (
    <article class="card share-card" aria-labelledby={headingId} data-testid="received-card" data-share-id={share.id}>
      <ShareSummary share={share} headingId={headingId} from={share.owner} />
      <FileList
        files={share.files}
        downloadHref={active ? (file) => `${base}/files/${encodeURIComponent(file.id)}` : undefined}
      />
      {active ? (
        share.files.length > 1 && (
          <div class="card-actions">
            <a class="button button-primary" href={`${base}/download`} data-testid="download-all">
              Download all (zip)
            </a>
          </div>
        )
      ) : (
        <p class="hint">This share is {share.status}; its files can no longer be downloaded.</p>
      )}
    </article>
  );
}
