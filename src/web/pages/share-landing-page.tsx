import { useCallback, useEffect, useState } from 'preact/hooks';
import { Alert } from '../components/alert.tsx';
import { FileList } from '../components/file-list.tsx';
import { SignInForm } from '../components/sign-in-form.tsx';
import { Time } from '../components/time.tsx';
import { UnlockForm } from '../components/unlock-form.tsx';
import { ApiError, api, messageOf } from '../lib/api.ts';
import { formatBytes, pluralize } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import type { ShareInfo } from '../lib/types.ts';

type State =
  | { kind: 'loading' }
  | { kind: 'ready'; info: ShareInfo }
  | { kind: 'sign-in' }
  | { kind: 'error'; status: number; title: string; message: string };

function errorState(e: unknown): State {
  if (e instanceof ApiError && e.status === 401) return { kind: 'sign-in' };
  const status = e instanceof ApiError ? e.status : 0;
  const title =
    status === 404
      ? 'Share not found'
      : status === 410
        ? 'This share is no longer available'
        : status === 403
          ? 'This share was not sent to you'
          : 'Cannot open this share';
  return { kind: 'error', status, title, message: messageOf(e) };
}

/** What someone who got a link sees: password or sign-in when needed, then the files. */
export function ShareLandingPage({ shareId }: { shareId: string }) {
  const session = useSession();
  const [state, setState] = useState<State>({ kind: 'loading' });

  const load = useCallback(async () => {
    try {
      setState({ kind: 'ready', info: await api.shareInfo(shareId) });
    } catch (e) {
      setState(errorState(e));
    }
  }, [shareId]);
  useEffect(() => void load(), [load]);

  const base = `/s/${encodeURIComponent(shareId)}`;
  let body;
  if (state.kind === 'loading') {
    body = <p role="status">Loading…</p>;
  } else if (state.kind === 'error') {
    body = (
      <div data-testid="landing-error" data-status={state.status}>
        <h1>{state.title}</h1>
        <Alert>{state.message}</Alert>
      </div>
    );
  } else if ((state.kind === 'sign-in' || (state.info.requiresSignIn && !session.user)) && session.mode === 'cognito') {
    // Deployed on AWS: recipients sign in on the hosted UI and come back to this share.
    body = (
      <div data-testid="landing-sign-in">
        <h1>Sign in to open this share</h1>
        <p>This share is only for the people it was sent to.</p>
        <button type="button" class="button button-primary" onClick={() => void session.signIn(base)}>
          Sign in
        </button>
      </div>
    );
  } else if (state.kind === 'sign-in' || (state.info.requiresSignIn && !session.user)) {
    body = (
      <SignInForm
        heading="Sign in to open this share"
        intro="This share is only for the people it was sent to."
        framed={false}
        onSignedIn={async () => {
          await session.refresh();
          await load();
        }}
      />
    );
  } else {
    const { info } = state;
    const locked = info.requiresPassword && !info.unlocked;
    const total = info.files.reduce((sum, f) => sum + f.size, 0);
    body = (
      <div data-testid="landing-share">
        <h1>{info.ownerDisplayName ? `${info.ownerDisplayName} shared files with you` : 'Files shared with you'}</h1>
        <p class="meta">
          {!locked && info.files.length > 0 && `${pluralize(info.files.length, 'file')}, ${formatBytes(total)} · `}
          Expires <Time iso={info.expiresAt} relative />
        </p>
        {locked ? (
          <UnlockForm shareId={shareId} onUnlocked={() => void load()} />
        ) : (
          <>
            <FileList files={info.files} downloadHref={(file) => `${base}/files/${encodeURIComponent(file.id)}`} />
            {info.files.length > 1 && (
              <div class="card-actions">
                <a class="button button-primary" href={`${base}/download`} data-testid="download-all">
                  Download all (zip)
                </a>
              </div>
            )}
          </>
        )}
      </div>
    );
  }

  return (
    <main id="main" class="page narrow" data-testid="landing-page">
      <div class="card landing">{body}</div>
    </main>
  );
}
