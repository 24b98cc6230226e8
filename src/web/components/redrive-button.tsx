import { useEffect, useRef, useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import { messageOf } from '../lib/api.ts';
import { pluralize } from '../lib/format.ts';

/** Moves a queue's dead letters back for another try: admins only, and it asks first (in place). */
export function RedriveButton({
  queue,
  dead,
  onRedriven,
}: {
  queue: string;
  dead: number;
  onRedriven: (count: number) => void;
}) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const confirmButton = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (confirming) confirmButton.current?.focus();
  }, [confirming]);

  if (!confirming) {
    return (
      <button
        type="button"
        class="button button-small"
        disabled={dead === 0}
        onClick={() => setConfirming(true)}
        data-testid="redrive"
      >
        Redrive {pluralize(dead, 'message')}
      </button>
    );
  }
  return (
    <div
      class="confirm confirm-neutral"
      role="group"
      aria-label={`Confirm redrive of ${queue}`}
      data-testid="redrive-confirm"
    >
      <span>
        Move {pluralize(dead, 'dead letter')} back to <span class="mono">{queue}</span> for another try?
      </span>
      <button
        ref={confirmButton}
        type="button"
        class="button button-primary button-small"
        disabled={busy}
        data-testid="redrive-confirm-yes"
        onClick={async () => {
          setBusy(true);
          setError(null);
          try {
            const { redriven } = await alertsApi.redrive(queue);
            setConfirming(false);
            onRedriven(redriven);
          } catch (e) {
            setError(messageOf(e));
          } finally {
            setBusy(false);
          }
        }}
      >
        {busy ? 'Redriving…' : 'Yes, redrive'}
      </button>
      <button type="button" class="button button-small" disabled={busy} onClick={() => setConfirming(false)}>
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
