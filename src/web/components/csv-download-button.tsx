import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';

/** Fetches a file with the session (so no token in a URL) and hands it to the browser as a download. */
export function CsvDownloadButton({
  fetchBlob,
  fileName,
  label = 'Download CSV',
}: {
  fetchBlob: () => Promise<Blob>;
  fileName: string;
  label?: string;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <span class="csv-download">
      <button
        type="button"
        class="button"
        disabled={busy}
        data-testid="download-csv"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const blob = await fetchBlob();
            const url = URL.createObjectURL(blob);
            const link = document.createElement('a');
            link.href = url;
            link.download = fileName;
            link.hidden = true;
            document.body.append(link);
            link.click();
            link.remove();
            setTimeout(() => URL.revokeObjectURL(url), 60_000);
          } catch (e) {
            setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Preparing…' : label}
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </span>
  );
}
