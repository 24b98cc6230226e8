import { SignInForm } from '../components/sign-in-form.tsx';
import { useSession } from '../lib/session.ts';

export function SignInPage() {
  const { refresh } = useSession();
  return (
    <main id="main" class="page narrow" data-testid="sign-in-page">
      <p class="tagline">Share files securely, with links that expire and an audit of every download.</p>
      <SignInForm onSignedIn={refresh} />
    </main>
  );
}
