import { useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api.ts';
import type { CreatedShare, NewShare, UserSummary } from '../lib/types.ts';
import { Alert } from './alert.tsx';
import { RecipientPicker } from './recipient-picker.tsx';

const EXPIRIES = [
  { label: '1 hour', seconds: 3600 },
  { label: '1 day', seconds: 86_400 },
  { label: '7 days', seconds: 7 * 86_400 },
  { label: '30 days', seconds: 30 * 86_400 },
];
const DEFAULT_EXPIRY = 7 * 86_400;

/** How to share the uploaded files: a link (optionally with a password) or named recipients. */
export function ShareForm({
  fileIds,
  pending,
  currentUser,
  onCreated,
}: {
  fileIds: string[];
  /** Uploads still running: the share waits for them. */
  pending: number;
  currentUser?: string;
  onCreated: (share: CreatedShare) => void;
}) {
  const [kind, setKind] = useState<'link' | 'recipients'>('link');
  const [recipients, setRecipients] = useState<UserSummary[]>([]);
  const [expiry, setExpiry] = useState(DEFAULT_EXPIRY);
  const [maxDownloads, setMaxDownloads] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const blocker =
    fileIds.length === 0
      ? 'Add at least one file.'
      : pending > 0
        ? 'Waiting for uploads to finish…'
        : kind === 'recipients' && recipients.length === 0
          ? 'Choose at least one recipient.'
          : null;

  const submit = async (event: Event) => {
    event.preventDefault();
    if (blocker) return;
    const share: NewShare = { fileIds, expiresInSeconds: expiry };
    if (kind === 'recipients') share.recipients = recipients.map((u) => u.username);
    if (maxDownloads.trim()) share.maxDownloads = Number(maxDownloads);
    if (kind === 'link' && password) share.password = password;
    setBusy(true);
    setError(null);
    try {
      onCreated(await api.createShare(share));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card form share-form" onSubmit={submit} data-testid="share-form" aria-labelledby="share-form-heading">
      <h2 id="share-form-heading">Share settings</h2>
      <fieldset class="segmented">
        <legend>Who can open it</legend>
        <label>
          <input
            type="radio"
            name="kind"
            value="link"
            checked={kind === 'link'}
            onChange={() => setKind('link')}
            data-testid="kind-link"
          />
          <span>Anyone with the link</span>
        </label>
        <label>
          <input
            type="radio"
            name="kind"
            value="recipients"
            checked={kind === 'recipients'}
            onChange={() => setKind('recipients')}
            data-testid="kind-recipients"
          />
          <span>Specific people</span>
        </label>
      </fieldset>

      {kind === 'recipients' && <RecipientPicker value={recipients} onChange={setRecipients} exclude={currentUser} />}

      <div class="field-row">
        <label class="field">
          <span>Expires after</span>
          <select
            value={String(expiry)}
            onChange={(e) => setExpiry(Number(e.currentTarget.value))}
            data-testid="expiry"
          >
            {EXPIRIES.map((option) => (
              <option key={option.seconds} value={String(option.seconds)}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          <span>Download limit</span>
          <input
            type="number"
            min={1}
            step={1}
            inputMode="numeric"
            placeholder="No limit"
            value={maxDownloads}
            onInput={(e) => setMaxDownloads(e.currentTarget.value)}
            data-testid="max-downloads"
          />
        </label>
      </div>

      {kind === 'link' && (
        <label class="field">
          <span>
            Password <span class="optional">(optional)</span>
          </span>
          <input
            type="password"
            autoComplete="new-password"
            value={password}
            onInput={(e) => setPassword(e.currentTarget.value)}
            aria-describedby="password-hint"
            data-testid="share-password"
          />
          <small id="password-hint" class="hint">
            Send the password separately from the link.
          </small>
        </label>
      )}

      {error && <Alert testId="share-error">{error}</Alert>}
      <div class="form-actions">
        <button
          type="submit"
          class="button button-primary"
          disabled={busy || blocker !== null}
          data-testid="create-share"
        >
          {busy ? 'Creating…' : 'Create share'}
        </button>
        {blocker && <span class="hint">{blocker}</span>}
      </div>
    </form>
  );
}
