import { useState } from 'preact/hooks';
import { messageOf } from '../lib/api.ts';
import { metricsApi } from '../lib/metrics-api.ts';
import type { FilterMatch } from '../lib/metrics-types.ts';
import { Alert } from './alert.tsx';

type Result =
  | { kind: 'matches'; lines: number; matches: FilterMatch[] }
  | { kind: 'error'; message: string; column: number | null; pattern: string };

/** Tries a filter pattern on pasted lines through TestMetricFilter: the matches, or the syntax error's place. */
export function PatternTester() {
  const [pattern, setPattern] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<Result | null>(null);

  const run = async (e: Event) => {
    e.preventDefault();
    const lines = text.split('\n').map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    const messages = lines.filter((l) => l.length > 0);
    setBusy(true);
    try {
      const res = await metricsApi.testPattern(pattern, messages);
      setResult({ kind: 'matches', lines: messages.length, matches: res.matches });
    } catch (err) {
      const message = messageOf(err);
      const col = /^column (\d+):/.exec(message);
      setResult({ kind: 'error', message, column: col ? Number(col[1]) : null, pattern });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card pattern-tester" aria-labelledby="pattern-heading" data-testid="pattern-tester">
      <h2 id="pattern-heading">Test a filter pattern</h2>
      <form class="form" onSubmit={run}>
        <label class="field">
          <span>Pattern</span>
          <input
            type="text"
            class="mono"
            value={pattern}
            spellcheck={false}
            placeholder="[ip, user, status = 4*]  or  ERROR  or  { $.latency > 100 }"
            onInput={(e) => setPattern(e.currentTarget.value)}
            data-testid="pattern-input"
          />
        </label>
        <label class="field">
          <span>Log lines (one event per line, up to 50)</span>
          <textarea
            class="mono"
            rows={5}
            value={text}
            spellcheck={false}
            onInput={(e) => setText(e.currentTarget.value)}
            data-testid="pattern-lines"
          />
        </label>
        <div class="form-actions">
          <button type="submit" class="button button-primary" disabled={busy} data-testid="pattern-test">
            {busy ? 'Testing…' : 'Test pattern'}
          </button>
        </div>
      </form>
      {result?.kind === 'error' && (
        <div data-testid="pattern-error" data-column={result.column ?? ''}>
          <Alert testId="pattern-error-message">{result.message}</Alert>
          {result.column !== null && (
            <pre class="pattern-caret" aria-hidden="true" data-testid="pattern-caret">
              {`${result.pattern}\n${' '.repeat(Math.max(0, result.column - 1))}^`}
            </pre>
          )}
        </div>
      )}
      {result?.kind === 'matches' && (
        <div data-testid="pattern-results">
          <p role="status" data-testid="pattern-summary">
            {`${result.matches.length} of ${result.lines} line${result.lines === 1 ? '' : 's'} matched.`}
          </p>
          {result.matches.length > 0 && (
            <div class="table-scroll">
              <table class="pattern-matches">
                <thead>
                  <tr>
                    <th scope="col">Event</th>
                    <th scope="col">Message</th>
                    <th scope="col">Extracted values</th>
                  </tr>
                </thead>
                <tbody>
                  {result.matches.map((m) => (
                    <tr key={m.eventNumber} data-testid="pattern-match" data-event-number={m.eventNumber}>
                      <td data-testid="pattern-event-number">{m.eventNumber}</td>
                      <td class="mono">{m.eventMessage}</td>
                      <td>
                        {Object.keys(m.extractedValues).length === 0 ? (
                          <span class="hint">none</span>
                        ) : (
                          <dl class="extracted">
                            {Object.entries(m.extractedValues).map(([k, v]) => (
                              <div key={k} data-testid="pattern-value" data-key={k}>
                                <dt>{k}</dt>
                                <dd class="mono">{v}</dd>
                              </div>
                            ))}
                          </dl>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </div>
      )}
    </section>
  );
}
