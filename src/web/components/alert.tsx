import type { ComponentChildren } from 'preact';

/** A message that screen readers announce: errors as alerts, the rest as polite status updates. */
export function Alert({
  kind = 'error',
  children,
  testId,
}: {
  kind?: 'error' | 'info' | 'success';
  children: ComponentChildren;
  testId?: string;
}) {
  return (
    <div
      class={`alert alert-${kind}`}
      role={kind === 'error' ? 'alert' : 'status'}
      data-testid={testId ?? `${kind}-message`}
    >
      {children}
    </div>
  );
}
