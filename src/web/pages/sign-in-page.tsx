import { useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/alert.tsx';
import { SignInForm } from '../components/sign-in-form.tsx';
import { messageOf } from '../lib/api.ts';
import { navigate, usePath, useSearch } from '../lib/router.ts';
import { useSession } from '../lib/session.ts';
import { safeNext } from '../lib/oauth-pkce.ts';

const TAGLINE = 'Share files securely, with links that expire and an audit of every download.';

/**
 * Local mode: the username and password form. Cognito mode: a button to the hosted UI — pressed for
 * the visitor when they asked for a page (a new tab, a session that ended), not on the sign-in path
 * itself, where the edge function or a sign-out sent them and they should see where they are.
 */
export function SignInPage() {
  const session = useSession();
  if (session.mode === 'cognito') return <HostedUiSignIn />;
  return (
    <main id="main" class="page narrow" data-testid="sign-in-page">
      <p class="tagline">{TAGLINE}</p>
      {session.error && <Alert testId="sign-in-error">{session.error}</Alert>}
      {session.mode === 'local' && <SignInForm onSignedIn={session.refresh} />}
    </main>
  );
}

function HostedUiSignIn() {
  const { user, authPaths, signIn, mayStartAutomatically, error } = useSession();
  const path = usePath();
  const search = useSearch();
  const atSignInPath = path === authPaths?.signIn;
  const next = atSignInPath
    ? safeNext(new URLSearchParams(search).get('next'), window.location.origin)
    : `${path}${search}`;
  const [problem, setProblem] = useState<string | null>(error);
  const [leaving, setLeaving] = useState(false);

  const go = async (automatic: boolean) => {
    setLeaving(true);
    try {
      await signIn(next, { automatic });
    } catch (e) {
      setProblem(messageOf(e));
      setLeaving(false);
    }
  };

  useEffect(() => {
    if (user)
      navigate(next, { replace: true }); // already signed in: /auth/sign-in has nothing to do
    else if (!atSignInPath && !error && mayStartAutomatically()) void go(true);
  }, [user, path]); // once per page asked for, not on every render

  const refusedAgain = !atSignInPath && !mayStartAutomatically() && !leaving;
  return (
    <main id="main" class="page narrow" data-testid="sign-in-page">
      <p class="tagline">{TAGLINE}</p>
      <div class="card form sign-in" aria-labelledby="sign-in-heading">
        <h1 id="sign-in-heading">Sign in</h1>
        {problem && <Alert testId="sign-in-error">{problem}</Alert>}
        {refusedAgain && !problem && (
          <Alert testId="sign-in-error">
            You signed in a moment ago, but the server did not accept the session. Try once more; if it keeps happening,
            ask your administrator.
          </Alert>
        )}
        <p class="meta">You sign in to Cairn with your organisation's account, on its sign-in page.</p>
        <button
          type="button"
          class="button button-primary"
          disabled={leaving || !!error}
          onClick={() => void go(false)}
          data-testid="sign-in-hosted"
        >
          {leaving ? 'Opening the sign-in page…' : 'Sign in'}
        </button>
      </div>
    </main>
  );
}
