import { useState } from 'preact/hooks';
import { ApiError, api, messageOf } from '../lib/api.ts';
import { formatWait } from '../lib/format.ts';
import { Alert } from './alert.tsx';

function unlockError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return 'Wrong password. Check it and try again.';
  if (e instanceof ApiError && e.status === 429 && e.retryAfterSeconds !== null) {
    return `Too many wrong passwords. Try again in ${formatWait(e.retryAfterSeconds)}.`;
  }
  return messageOf(e);
}

/** The password a link share was protected with; on success the server sets an unlock cookie. */
export function UnlockForm({ shareId, onUnlocked }: { shareId: string; onUnlocked: () => void }) {
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="form"
      data-testid="unlock-form"
      onSubmit={async (event) => {
        event.preventDefault();
        setBusy(true);
        setError(null);
        try {
          await api.unlock(shareId, password);
          onUnlocked();
        } catch (e) {
          setError(unlockError(e));
          setPassword('');
        } finally {
          setBusy(false);
        }
      }}
    >
      <p>This share is protected with a password.</p>
      {error && <Alert testId="unlock-error">{error}</Alert>}
      <label class="field">
        <span>Password</span>
        <input
          type="password"
          autoComplete="off"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          data-testid="unlock-password"
        />
      </label>
      <button type="submit" class="button button-primary" disabled={busy} data-testid="unlock-submit">
        {busy ? 'Checking…' : 'Unlock'}
      </button>
    </form>
  );
}
