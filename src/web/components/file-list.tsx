import { formatBytes } from '../lib/format.ts';
import type { ShareFile } from '../lib/types.ts';

/** The files of a share, each optionally with a download link. Names are always rendered as text. */
export function FileList({ files, downloadHref }: { files: ShareFile[]; downloadHref?: (file: ShareFile) => string }) {
  return (
    <ul class="file-list" data-testid="file-list">
      {files.map((file) => (
        <li key={file.id} class="file-row" data-testid="file-row">
          <span class="file-icon" aria-hidden="true" />
          <span class="file-name" data-testid="file-name">
            {file.name}
          </span>
          <span class="file-size">{formatBytes(file.size)}</span>
          {downloadHref && (
            <a
              class="button button-small"
              href={downloadHref(file)}
              data-testid="download-file"
              aria-label={`Download ${file.name}`}
            >
              Download
            </a>
          )}
        </li>
      ))}
    </ul>
  );
}
