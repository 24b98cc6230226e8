/** The Cairn mark: three stacked stones. Decorative; the name sits next to it as text. */
export function Logo() {
  return (
    <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <ellipse cx="16" cy="24" rx="9" ry="3.5" fill="#fff" />
      <ellipse cx="16" cy="17" rx="6.5" ry="3" fill="#dbeafe" />
      <ellipse cx="16" cy="10.5" rx="4" ry="2.5" fill="#fff" />
    </svg>
  );
}
