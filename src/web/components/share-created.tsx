import { useEffect, useRef } from 'preact/hooks';
import { absoluteUrl } from '../lib/format.ts';
import type { CreatedShare } from '../lib/types.ts';
import { CopyField } from './copy-button.tsx';
import { FileList } from './file-list.tsx';
import { Time } from './time.tsx';

/** The result of creating a share: its absolute URL, ready to copy. */
export function ShareCreated({ share, onAnother }: { share: CreatedShare; onAnother: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section class="card share-created" data-testid="share-created" aria-labelledby="share-created-heading">
      <h2 id="share-created-heading" ref={heading} tabIndex={-1}>
        Your share is ready
      </h2>
      <CopyField value={absoluteUrl(share.url)} label="Share link" />
      <p class="meta">
        Expires <Time iso={share.expiresAt} relative />
      </p>
      <FileList files={share.files} />
      <div class="card-actions">
        <button type="button" class="button" onClick={onAnother} data-testid="share-another">
          Share more files
        </button>
      </div>
    </section>
  );
}
