import { formatDateTime, formatRelative } from '../lib/format.ts';

/** A time in the browser's locale, with the exact ISO instant in the title. */
export function Time({ iso, relative = false }: { iso: string; relative?: boolean }) {
  return (
    <time dateTime={iso} title={iso}>
      {relative ? `${formatRelative(iso)} (${formatDateTime(iso)})` : formatDateTime(iso)}
    </time>
  );
}
