import { useState } from 'preact/hooks';
import { ApiError, api, messageOf } from '../lib/api.ts';
import { formatWait } from '../lib/format.ts';
import { Alert } from './alert.tsx';

function signInError(e: unknown): string {
  if (e instanceof ApiError && e.status === 401) return 'Wrong username or password';
  if (e instanceof ApiError && e.status === 429) {
    const wait = e.retryAfterSeconds;
    return wait === null ? e.message : `Too many sign-in attempts. Try again in ${formatWait(wait)}.`;
  }
  return messageOf(e);
}

/** Username and password; on success the server sets an HttpOnly session cookie. */
export function SignInForm({
  onSignedIn,
  heading = 'Sign in',
  intro,
  framed = true,
}: {
  /** A sentence under the heading saying why sign-in is needed. */
  intro?: string;
  /** Inside another card (the landing page), the form needs no frame of its own. */
  framed?: boolean;
  onSignedIn: () => Promise<unknown>;
  heading?: string;
}) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await api.login(username.trim(), password);
      await onSignedIn();
    } catch (e) {
      setError(signInError(e));
      setBusy(false);
    }
  };

  return (
    <form
      class={framed ? 'card form sign-in' : 'form sign-in'}
      onSubmit={submit}
      data-testid="sign-in-form"
      aria-labelledby="sign-in-heading"
    >
      <h1 id="sign-in-heading">{heading}</h1>
      {intro && <p class="meta">{intro}</p>}
      {error && <Alert testId="sign-in-error">{error}</Alert>}
      <label class="field">
        <span>Username</span>
        <input
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          data-testid="sign-in-username"
        />
      </label>
      <label class="field">
        <span>Password</span>
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          data-testid="sign-in-password"
        />
      </label>
      <button type="submit" class="button button-primary" disabled={busy} data-testid="sign-in-submit">
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
