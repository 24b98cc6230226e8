import { useEffect, useRef, useState } from 'preact/hooks';

async function copyText(text: string, fallbackInput: HTMLInputElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No async clipboard (a plain-http origin, or permission denied): select and use the old command.
    if (!fallbackInput) return false;
    fallbackInput.focus();
    fallbackInput.select();
    return document.execCommand('copy');
  }
}

/** A read-only field with the URL and a Copy button that says whether the copy worked. */
export function CopyField({ value, label, testId }: { value: string; label: string; testId?: string }) {
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  return (
    <div class="copy-field">
      <input
        ref={input}
        type="text"
        readOnly
        value={value}
        aria-label={label}
        data-testid={testId ?? 'share-url'}
        onFocus={(e) => e.currentTarget.select()}
      />
      <button
        type="button"
        class="button"
        data-testid="copy-url"
        onClick={async () => setState((await copyText(value, input.current)) ? 'copied' : 'failed')}
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      <span class="visually-hidden" role="status">
        {state === 'copied'
          ? 'Link copied to the clipboard'
          : state === 'failed'
            ? 'Copy failed: select the link and copy it'
            : ''}
      </span>
    </div>
  );
}
