import type { CharClass, RegexProgram } from './regex-parse.ts';

/**
 * Runs a RegexProgram as a Thompson NFA: the set of live positions advances one character at a time,
 * so a search costs O(line length × positions) whatever the input. JS RegExp backtracks (`.*x` on a
 * 20 kB line already takes ~0.5 s, `a*a*x` never ends), which a log agent cannot afford.
 */

const ONE = 0;
const OPTIONAL = 1;
const STAR = 2;
const NOTHING: CharClass = { ascii: new Uint8Array(128), other: false };

export type RegexTest = (text: string) => boolean;

export function compileRegex(program: RegexProgram): RegexTest {
  const classes: CharClass[] = [];
  const kinds: number[] = [];
  /** For each state: the alternative it belongs to, or -1 (not an accepting state). */
  const acceptOf: number[] = [];
  const starts: number[] = [];
  const anchoredStart: boolean[] = [];
  const anchoredEnd: boolean[] = [];
  const literals: string[] = [];

  program.alternatives.forEach((alt, a) => {
    starts.push(kinds.length);
    anchoredStart.push(alt.anchoredStart);
    anchoredEnd.push(alt.anchoredEnd);
    literals.push(longestLiteral(alt.items));
    for (const item of alt.items) {
      for (let k = 0; k < item.min; k++) push(item.cls, ONE);
      if (item.max === Infinity) push(item.cls, STAR);
      else for (let k = item.min; k < item.max; k++) push(item.cls, OPTIONAL);
    }
    classes.push(NOTHING);
    kinds.push(ONE);
    acceptOf.push(a);
  });
  function push(cls: CharClass, kind: number): void {
    classes.push(cls);
    kinds.push(kind);
    acceptOf.push(-1);
  }

  const size = kinds.length;
  // The ε-closure of a state is a contiguous run: optional and starred positions may be skipped.
  const closureEnd = new Int32Array(size);
  for (let s = size - 1; s >= 0; s--) {
    closureEnd[s] = acceptOf[s] === -1 && kinds[s] !== ONE ? (closureEnd[s + 1] ?? s) : s;
  }
  const everyAltHasLiteral = literals.every((l) => l.length > 0);
  const seen = new Int32Array(size);
  let generation = 0;
  let current = new Int32Array(size);
  let next = new Int32Array(size);
  const bump = (): number => {
    if (generation < 0x3fffffff) return generation + 1;
    seen.fill(0);
    return 1;
  };

  return (text: string): boolean => {
    if (everyAltHasLiteral && !literals.some((l) => text.includes(l))) return false;
    const n = text.length;
    let count = 0;
    generation = bump();
    for (let i = 0; ; i++) {
      for (let a = 0; a < starts.length; a++) {
        if (i > 0 && anchoredStart[a]) continue;
        const s = starts[a] ?? 0;
        const end = closureEnd[s] ?? s;
        for (let k = s; k <= end; k++) {
          if (seen[k] !== generation) {
            seen[k] = generation;
            current[count++] = k;
          }
        }
      }
      for (let k = 0; k < count; k++) {
        const alt = acceptOf[current[k] ?? 0] ?? -1;
        if (alt >= 0 && (!anchoredEnd[alt] || i === n)) return true;
      }
      if (i === n) return false;
      const code = text.charCodeAt(i);
      generation = bump();
      let nextCount = 0;
      for (let k = 0; k < count; k++) {
        const s = current[k] ?? 0;
        if ((acceptOf[s] ?? 0) >= 0) continue;
        const cls = classes[s];
        if (!cls || !(code < 128 ? cls.ascii[code] === 1 : cls.other)) continue;
        const from = kinds[s] === STAR ? s : s + 1;
        const end = closureEnd[from] ?? from;
        for (let t = from; t <= end; t++) {
          if (seen[t] !== generation) {
            seen[t] = generation;
            next[nextCount++] = t;
          }
        }
      }
      const swap = current;
      current = next;
      next = swap;
      count = nextCount;
    }
  };
}

/** The longest run of literal characters every match of the alternative contains (a cheap pre-check). */
function longestLiteral(items: RegexProgram['alternatives'][number]['items']): string {
  let best = '';
  let run = '';
  for (const item of items) {
    if (item.literal !== undefined && item.min >= 1) {
      run += item.literal.repeat(Math.min(item.min, 64));
      // After a variable (or truncated) repetition only its last copies are known to touch what follows.
      if (item.max !== item.min || item.min > 64) {
        if (run.length > best.length) best = run;
        run = item.literal.repeat(Math.min(item.min, 64));
        continue;
      }
    } else {
      if (run.length > best.length) best = run;
      run = '';
    }
  }
  return run.length > best.length ? run : best;
}
