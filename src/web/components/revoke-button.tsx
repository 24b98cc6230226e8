import { useEffect, useRef, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api.ts';

/** Revoking cannot be undone, so it asks first, in place (no window.confirm). */
export function RevokeButton({ shareId, onRevoked }: { shareId: string; onRevoked: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  if (!confirming) {
    return (
      <button type="button" class="button button-danger-quiet" onClick={() => setConfirming(true)} data-testid="revoke">
        Revoke
      </button>
    );
  }
  return (
    <div class="confirm" role="group" aria-label="Confirm revocation" data-testid="revoke-confirm">
      <span>Revoke this share? Nobody will be able to download it any more.</span>
      <button
        ref={confirmButton}
        type="button"
        class="button button-danger"
        disabled={busy}
        data-testid="revoke-confirm-yes"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            await api.revoke(shareId);
            onRevoked();
          } catch (e) {
            setError(messageOf(e));
            setBusy(false);
          }
        }}
      >
        {busy ? 'Revoking…' : 'Yes, revoke'}
      </button>
      <button type="button" class="button" disabled={busy} onClick={() => setConfirming(false)}>
        Cancel
      </button>
      {error && (
        <span class="field-error" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
