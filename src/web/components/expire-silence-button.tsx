import { useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import type { Silence } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';

/** Ends a silence now: notifications for the events it matched go out again. */
export function ExpireSilenceButton({ silence, onExpired }: { silence: Silence; onExpired: (s: Silence) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  return (
    <>
      <button
        type="button"
        class="button button-danger-quiet button-small"
        disabled={busy}
        data-testid="expire-silence"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            onExpired(await alertsApi.expireSilence(silence.id));
          } catch (e) {
            setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Expiring…' : 'Expire'}
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </>
  );
}
