import { useState } from 'preact/hooks';
import { alertsApi } from '../lib/alerts-api.ts';
import type { Silence } from '../lib/alerts-types.ts';
import { messageOf } from '../lib/api.ts';
import { fromLocalInput, toLocalInput } from '../lib/event-filters.ts';
import { type MatchPair, formatPolicy, pairsToPolicy, parsePolicy, policyToPairs } from '../lib/silence-matcher.ts';
import { Alert } from './alert.tsx';
import { JsonBlock } from './json-block.tsx';
import { MatcherBuilder } from './matcher-builder.tsx';

const DURATIONS: { label: string; ms: number }[] = [
  { label: '1 hour', ms: 3_600_000 },
  { label: '4 hours', ms: 4 * 3_600_000 },
  { label: '1 day', ms: 86_400_000 },
  { label: '1 week', ms: 7 * 86_400_000 },
];

const inTwoHours = () => toLocalInput(new Date(Date.now() + 2 * 3_600_000).toISOString());
const blankPairs = (): MatchPair[] => [{ key: 'service', value: '' }];

/** Builds the silence's matcher from pairs, or reads it from the JSON textarea, with a message when it cannot. */
function matcherOf(mode: 'builder' | 'json', pairs: MatchPair[], json: string) {
  if (mode === 'json') return parsePolicy(json);
  const complete = pairs.filter((p) => p.key.trim() !== '' || p.value !== '');
  if (complete.length === 0) return { error: 'Add at least one condition: an attribute and the value it must have.' };
  if (complete.some((p) => p.key.trim() === '' || p.value === '')) {
    return { error: 'Every condition needs both an attribute and a value (or remove it).' };
  }
  return { policy: pairsToPolicy(complete) as Record<string, unknown> };
}

/** A new silence: which events (an SNS filter policy over their attributes), from when to when, and why. */
export function SilenceForm({ onCreated, labelKeys }: { onCreated: (silence: Silence) => void; labelKeys: string[] }) {
  const [mode, setMode] = useState<'builder' | 'json'>('builder');
  const [pairs, setPairs] = useState<MatchPair[]>(blankPairs);
  const [json, setJson] = useState('{\n  "service": ["payments"]\n}');
  const [startsAt, setStartsAt] = useState('');
  const [endsAt, setEndsAt] = useState(inTwoHours);
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const switchMode = (next: 'builder' | 'json') => {
    setError(null);
    if (next === mode) return;
    if (next === 'json') {
      const built = matcherOf('builder', pairs, '');
      if ('policy' in built) setJson(formatPolicy(built.policy));
      setMode('json');
      return;
    }
    const parsed = parsePolicy(json);
    const back = 'policy' in parsed ? policyToPairs(parsed.policy) : null;
    if (!back || back.length === 0) {
      setError('This matcher uses more than "attribute = value" conditions: keep editing it as JSON.');
      return;
    }
    setPairs(back);
    setMode('builder');
  };

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    const matcher = matcherOf(mode, pairs, json);
    if ('error' in matcher) return setError(matcher.error);
    const ends = fromLocalInput(endsAt);
    if (!ends) return setError('Give the time the silence ends.');
    const starts = fromLocalInput(startsAt);
    setBusy(true);
    try {
      const silence = await alertsApi.createSilence({
        match: matcher.policy,
        endsAt: ends,
        ...(starts ? { startsAt: starts } : {}),
        ...(comment.trim() ? { comment: comment.trim() } : {}),
      });
      onCreated(silence);
      setPairs(blankPairs());
      setComment('');
      setStartsAt('');
      setEndsAt(inTwoHours());
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  };

  const preview = mode === 'builder' ? matcherOf('builder', pairs, '') : null;
  return (
    <form
      class="card form silence-form"
      onSubmit={submit}
      aria-labelledby="new-silence-heading"
      data-testid="silence-form"
    >
      <h2 id="new-silence-heading">New silence</h2>
      <p class="hint">
        While a silence is active, the events it matches are stored and shown here but no notification goes out.
      </p>
      <fieldset class="segmented">
        <legend>Which events</legend>
        <label>
          <input
            type="radio"
            name="matcher-mode"
            checked={mode === 'builder'}
            onChange={() => switchMode('builder')}
            data-testid="matcher-mode-builder"
          />
          Attribute = value
        </label>
        <label>
          <input
            type="radio"
            name="matcher-mode"
            checked={mode === 'json'}
            onChange={() => switchMode('json')}
            data-testid="matcher-mode-json"
          />
          Filter policy (JSON)
        </label>
      </fieldset>
      {mode === 'builder' ? (
        <>
          <MatcherBuilder pairs={pairs} onChange={setPairs} keys={labelKeys} />
          {preview && 'policy' in preview && (
            <div>
              <span class="field-label">As a filter policy</span>
              <JsonBlock value={formatPolicy(preview.policy)} label="The matcher as JSON" testId="matcher-preview" />
            </div>
          )}
        </>
      ) : (
        <label class="field">
          <span>SNS filter policy over the event&rsquo;s attributes</span>
          <textarea
            rows={6}
            spellcheck={false}
            class="mono"
            value={json}
            onInput={(e) => setJson(e.currentTarget.value)}
            data-testid="matcher-json"
          />
          <span class="hint">For example {'{ "severity": ["warning", "info"], "team": [{ "prefix": "data-" }] }'}</span>
        </label>
      )}
      <div class="field-row">
        <label class="field">
          <span>
            Starts <span class="optional">(empty: now)</span>
          </span>
          <input
            type="datetime-local"
            value={startsAt}
            onInput={(e) => setStartsAt(e.currentTarget.value)}
            data-testid="silence-starts"
          />
        </label>
        <label class="field">
          <span>Ends</span>
          <input
            type="datetime-local"
            required
            value={endsAt}
            onInput={(e) => setEndsAt(e.currentTarget.value)}
            data-testid="silence-ends"
          />
        </label>
      </div>
      <div class="quick-durations" role="group" aria-label="Set the end from the start">
        <span class="hint">Lasts</span>
        {DURATIONS.map((d) => (
          <button
            key={d.label}
            type="button"
            class="button button-small"
            onClick={() => {
              const from = Date.parse(fromLocalInput(startsAt) || new Date().toISOString());
              setEndsAt(toLocalInput(new Date(from + d.ms).toISOString()));
            }}
          >
            {d.label}
          </button>
        ))}
      </div>
      <label class="field">
        <span>
          Comment <span class="optional">(optional)</span>
        </span>
        <input
          type="text"
          maxLength={1000}
          placeholder="Why, e.g. planned database maintenance"
          value={comment}
          onInput={(e) => setComment(e.currentTarget.value)}
          data-testid="silence-comment"
        />
      </label>
      {error && <Alert testId="silence-error">{error}</Alert>}
      <div class="form-actions">
        <button type="submit" class="button button-primary" disabled={busy} data-testid="create-silence">
          {busy ? 'Creating…' : 'Create silence'}
        </button>
      </div>
    </form>
  );
}
