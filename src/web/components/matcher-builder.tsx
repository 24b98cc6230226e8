import { MATCH_KEYS, type MatchPair } from '../lib/silence-matcher.ts';

/** `key = value` rows; values of one key are alternatives, different keys must all match. */
export function MatcherBuilder({
  pairs,
  onChange,
  keys,
}: {
  pairs: MatchPair[];
  onChange: (pairs: MatchPair[]) => void;
  /** Label names seen on events, suggested beside the standard attributes. */
  keys: string[];
}) {
  const suggestions = [...new Set([...MATCH_KEYS, ...keys])];
  const change = (index: number, patch: Partial<MatchPair>) =>
    onChange(pairs.map((p, i) => (i === index ? { ...p, ...patch } : p)));
  return (
    <div class="matcher-builder" data-testid="matcher-builder">
      <datalist id="match-keys">
        {suggestions.map((k) => (
          <option key={k} value={k} />
        ))}
      </datalist>
      <ol class="match-rows">
        {pairs.map((pair, i) => (
          <li key={i} class="match-row" data-testid="match-row">
            <label class="field">
              <span class="visually-hidden">Attribute of condition {i + 1}</span>
              <input
                type="text"
                list="match-keys"
                placeholder="attribute, e.g. service"
                value={pair.key}
                onInput={(e) => change(i, { key: e.currentTarget.value })}
                autoComplete="off"
                data-testid="match-key"
              />
            </label>
            <span class="match-equals" aria-hidden="true">
              =
            </span>
            <label class="field">
              <span class="visually-hidden">Value of condition {i + 1}</span>
              <input
                type="text"
                placeholder="value"
                value={pair.value}
                onInput={(e) => change(i, { value: e.currentTarget.value })}
                autoComplete="off"
                data-testid="match-value"
              />
            </label>
            <button
              type="button"
              class="button button-quiet button-small"
              aria-label={`Remove condition ${i + 1}`}
              disabled={pairs.length === 1}
              onClick={() => onChange(pairs.filter((_, j) => j !== i))}
              data-testid="remove-match"
            >
              Remove
            </button>
          </li>
        ))}
      </ol>
      <button
        type="button"
        class="button button-small"
        onClick={() => onChange([...pairs, { key: '', value: '' }])}
        data-testid="add-match"
      >
        Add condition
      </button>
    </div>
  );
}
