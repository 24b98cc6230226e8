import type { ComponentChildren } from 'preact';
import { onLinkClick } from '../lib/router.ts';

/** An in-app link: a real <a href> (so it opens in a new tab too), routed without a page load. */
export function Link({
  href,
  children,
  current = false,
  class: className,
  testId,
}: {
  href: string;
  children: ComponentChildren;
  current?: boolean;
  class?: string;
  testId?: string;
}) {
  return (
    <a
      href={href}
      class={className}
      aria-current={current ? 'page' : undefined}
      onClick={onLinkClick}
      data-testid={testId}
    >
      {children}
    </a>
  );
}
