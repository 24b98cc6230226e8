import { useEffect, useRef, useState } from 'preact/hooks';
import { api, messageOf } from '../lib/api.ts';
import type { UserSummary } from '../lib/types.ts';

const DEBOUNCE_MS = 200;

/** Search-as-you-type over the user pool (an ARIA combobox); the chosen users show as removable chips. */
export function RecipientPicker({
  value,
  onChange,
  exclude,
}: {
  value: UserSummary[];
  onChange: (users: UserSummary[]) => void;
  exclude?: string;
}) {
  const [query, setQuery] = useState('');
  const [options, setOptions] = useState<UserSummary[]>([]);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [searchedFor, setSearchedFor] = useState('');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const prefix = query.trim();
    if (!prefix) {
      setOptions([]);
      return;
    }
    let stale = false;
    const timer = setTimeout(async () => {
      try {
        const { users } = await api.findUsers(prefix);
        if (stale) return;
        const chosen = new Set(value.map((u) => u.username));
        setOptions(users.filter((u) => !chosen.has(u.username) && u.username !== exclude));
        setActive(0);
        setSearchedFor(prefix);
        setError(null);
      } catch (e) {
        if (!stale) setError(messageOf(e));
      }
    }, DEBOUNCE_MS);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [query, value, exclude]);

  const choose = (user: UserSummary) => {
    onChange([...value, user]);
    setQuery('');
    setOptions([]);
    input.current?.focus();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setOpen(true);
      setActive((i) => Math.min(options.length - 1, i + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((i) => Math.max(0, i - 1));
    } else if (e.key === 'Enter') {
      const option = options[active];
      if (open && option) {
        e.preventDefault();
        choose(option);
      }
    } else if (e.key === 'Escape') {
      setOpen(false);
    } else if (e.key === 'Backspace' && query === '' && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };

  const expanded = open && query.trim() !== '' && options.length > 0;
  const noMatch = open && query.trim() !== '' && searchedFor === query.trim() && options.length === 0;
  return (
    <div class="recipient-picker">
      <label class="field-label" for="recipient-search">
        Recipients
      </label>
      <div class="chip-input" onClick={() => input.current?.focus()}>
        <ul class="chips" aria-label="Chosen recipients" data-testid="recipient-chips">
          {value.map((user) => (
            <li key={user.username} class="chip" data-testid="recipient-chip">
              <span title={user.username}>{user.displayName || user.username}</span>
              <button
                type="button"
                class="chip-remove"
                aria-label={`Remove ${user.displayName || user.username}`}
                onClick={() => onChange(value.filter((u) => u.username !== user.username))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
        <input
          ref={input}
          id="recipient-search"
          type="text"
          role="combobox"
          autoComplete="off"
          spellcheck={false}
          placeholder={value.length ? 'Add another person…' : 'Search people by name or username'}
          aria-autocomplete="list"
          aria-expanded={expanded}
          aria-controls="recipient-options"
          aria-activedescendant={expanded ? `recipient-option-${active}` : undefined}
          value={query}
          onInput={(e) => {
            setQuery(e.currentTarget.value);
            setOpen(true);
          }}
          onFocus={() => setOpen(true)}
          onBlur={() => setTimeout(() => setOpen(false), 150)}
          onKeyDown={onKeyDown}
          data-testid="recipient-search"
        />
      </div>
      <ul id="recipient-options" role="listbox" class="options" hidden={!expanded} data-testid="recipient-options">
        {options.map((user, i) => (
          <li
            key={user.username}
            id={`recipient-option-${i}`}
            role="option"
            aria-selected={i === active}
            class={i === active ? 'option is-active' : 'option'}
            data-testid="recipient-option"
            data-username={user.username}
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => choose(user)}
          >
            <span class="option-name">{user.displayName || user.username}</span>
            <span class="option-username">{user.username}</span>
          </li>
        ))}
      </ul>
      {noMatch && (
        <p class="hint" role="status">
          No one matches “{query.trim()}”.
        </p>
      )}
      {error && (
        <p class="field-error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
