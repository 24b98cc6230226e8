import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';
import { backupsApi } from '../lib/backups-api.ts';
import type { VerifyReport } from '../lib/backups-types.ts';
import { formatBytes, formatCount, pluralize } from '../lib/format.ts';

/** Re-reads every object of a finished run and checks it against the manifest (admins only). */
export function VerifyRunButton({ runId, onVerified }: { runId: string; onVerified: (report: VerifyReport) => void }) {
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<VerifyReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const verify = async () => {
    setBusy(true);
    setError(null);
    try {
      const next = await backupsApi.verify(runId);
      setReport(next);
      onVerified(next);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="verify-run">
      <button
        type="button"
        class="button button-small"
        disabled={busy}
        onClick={() => void verify()}
        data-testid="backup-verify"
      >
        {busy ? 'Verifying…' : 'Verify'}
      </button>
      {report && (
        <div
          class={`verify-result ${report.ok ? 'is-ok' : 'is-bad'}`}
          role="status"
          data-testid="backup-verify-result"
          data-ok={String(report.ok)}
        >
          {report.ok
            ? `OK: ${pluralize(report.chunks, 'chunk')}, ${formatCount(report.rows)} rows, ${formatBytes(report.bytes)} match the manifest.`
            : `${pluralize(report.problems.length, 'problem')} found:`}
          {!report.ok && (
            <ul>
              {report.problems.map((p) => (
                <li key={p.key}>
                  <span class="mono">{p.key}</span>: {p.problem}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {error && (
        <p class="backup-error" role="alert" data-testid="backup-verify-error">
          {error}
        </p>
      )}
    </div>
  );
}
