/**
 * Runs a compiled pattern over a large text, one event per line (lines end at '\n'; a trailing '\r' is
 * dropped), the way `grep -c` does. With an anchor (a substring every matching line contains) indexOf
 * jumps from one occurrence to the next and only those lines are looked at, so a rare term costs about
 * one native substring search over the text.
 */
export interface ScanPlan {
  readonly test: (line: string) => boolean;
  readonly anchor: string | undefined;
  /** The anchor proves nothing for lines with a backslash (JSON escapes): visit those too. */
  readonly unlessBackslash: boolean;
  /** 'all': every line matches; 'anchor': a line matches exactly when it contains the anchor. */
  readonly decides: 'all' | 'anchor' | 'test';
}

export function countMatchingLines(text: string, plan: ScanPlan): number {
  const n = text.length;
  let count = 0;
  if (plan.decides === 'all') {
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', end + 1)) count++;
    return count + (n > 0 && text.charCodeAt(n - 1) !== 10 ? 1 : 0);
  }
  const anchor = plan.anchor;
  if (plan.decides === 'anchor' && anchor) {
    for (let pos = 0; ;) {
      const hit = text.indexOf(anchor, pos);
      if (hit < 0) return count;
      count++;
      const end = text.indexOf('\n', hit);
      if (end < 0) return count;
      pos = end + 1;
    }
  }
  scan(text, plan, () => count++);
  return count;
}

export function forEachMatchingLine(text: string, plan: ScanPlan, onMatch: (line: string) => void): void {
  scan(text, plan, onMatch);
}

function scan(text: string, plan: ScanPlan, onMatch: (line: string) => void): void {
  const n = text.length;
  const { anchor, test } = plan;
  const always = plan.decides !== 'test';
  let pos = 0;
  let backslash = anchor && plan.unlessBackslash ? text.indexOf('\\') : -1;
  while (pos < n) {
    let start = pos;
    let end: number;
    if (anchor) {
      let hit = text.indexOf(anchor, pos);
      if (backslash >= 0 && backslash < pos) backslash = text.indexOf('\\', pos);
      if (backslash >= 0 && (hit < 0 || backslash < hit)) hit = backslash;
      if (hit < 0) return;
      if (hit > pos) start = text.lastIndexOf('\n', hit - 1) + 1;
      end = text.indexOf('\n', hit);
    } else end = text.indexOf('\n', pos);
    if (end < 0) end = n;
    pos = end + 1;
    if (end > start && text.charCodeAt(end - 1) === 13) end--;
    const line = text.slice(start, end);
    if (always || test(line)) onMatch(line);
  }
}
