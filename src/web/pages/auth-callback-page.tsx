import { useEffect, useRef, useState } from 'preact/hooks';
import { Alert } from '../components/alert.tsx';
import { messageOf } from '../lib/api.ts';
import { navigate } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';

/**
 * Where Cognito's hosted UI sends the browser back (?code=…&state=…): checks the state, exchanges the
 * code with the PKCE verifier, then opens the page that was asked for. A refused or failed answer is
 * shown, with a way to start again; the code is never retried.
 */
export function AuthCallbackPage() {
  const { completeSignIn, refresh, signIn } = useSession();
  const [problem, setProblem] = useState<string | null>(null);
  const started = useRef(false);

  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const search = window.location.search;
    // The code is one use: drop it from the address bar and history straight away.
    window.history.replaceState(null, '', window.location.pathname);
    completeSignIn(search)
      .then(async (next) => {
        await refresh();
        navigate(next, { replace: true });
      })
      .catch((e: unknown) => setProblem(messageOf(e)));
  }, [completeSignIn, refresh]);

  return (
    <main id="main" class="page narrow" data-testid="auth-callback-page">
      <div class="card form sign-in">
        <h1>{problem ? 'Sign-in failed' : 'Signing in'}</h1>
        {problem ? (
          <>
            <Alert testId="sign-in-error">{problem}</Alert>
            <button
              type="button"
              class="button button-primary"
              onClick={() => void signIn('/')}
              data-testid="sign-in-again"
            >
              Sign in again
            </button>
          </>
        ) : (
          <p role="status">Finishing sign-in…</p>
        )}
      </div>
    </main>
  );
}
