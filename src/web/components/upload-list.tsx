import { formatBytes } from '../lib/format.ts';

export interface UploadItem {
  key: string;
  name: string;
  size: number;
  loaded: number;
  status: 'uploading' | 'ready' | 'failed';
  fileId?: string;
  error?: string;
}

const percent = (item: UploadItem) =>
  item.status === 'ready' ? 100 : item.size === 0 ? 0 : Math.min(100, Math.floor((item.loaded / item.size) * 100));

function statusText(item: UploadItem): string {
  if (item.status === 'ready') return 'Uploaded';
  if (item.status === 'failed') return item.error ?? 'Failed';
  return `${percent(item)}%`;
}

/** One row per file with its own progress bar. */
export function UploadList({
  items,
  onRemove,
  onRetry,
}: {
  items: UploadItem[];
  onRemove: (key: string) => void;
  onRetry: (key: string) => void;
}) {
  if (items.length === 0) return null;
  return (
    <ul class="upload-list" aria-label="Files to share" data-testid="upload-list">
      {items.map((item) => (
        <li key={item.key} class={`upload-item is-${item.status}`} data-testid="upload-item" data-status={item.status}>
          <div class="upload-head">
            <span class="file-name" data-testid="upload-name">
              {item.name}
            </span>
            <span class="file-size">{formatBytes(item.size)}</span>
          </div>
          <progress
            max={100}
            value={percent(item)}
            aria-label={`Upload progress for ${item.name}`}
            data-testid="upload-progress"
          />
          <div class="upload-foot">
            <span
              class="upload-status"
              data-testid="upload-percent"
              role={item.status === 'failed' ? 'alert' : undefined}
            >
              {statusText(item)}
            </span>
            <span class="upload-actions">
              {item.status === 'failed' && (
                <button type="button" class="link-button" onClick={() => onRetry(item.key)}>
                  Retry
                </button>
              )}
              {item.status !== 'uploading' && (
                <button
                  type="button"
                  class="link-button"
                  aria-label={`Remove ${item.name}`}
                  data-testid="upload-remove"
                  onClick={() => onRemove(item.key)}
                >
                  Remove
                </button>
              )}
            </span>
          </div>
        </li>
      ))}
    </ul>
  );
}
