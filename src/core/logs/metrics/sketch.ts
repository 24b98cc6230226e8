/**
 * Percentiles of a bucket's values. Up to EXACT_LIMIT values are kept as they are, so small buckets give
 * exact nearest-rank percentiles; past that the values move into a log-bucketed sketch (DDSketch-style)
 * whose answer is within RELATIVE_ACCURACY (1 %) of the true value at that rank, always clamped to the
 * bucket's exact minimum and maximum. Sketches merge exactly (bucket counts add), so 10 s buckets roll
 * up into 60 s and 1 h buckets, and any period, without losing that bound.
 */
export const EXACT_LIMIT = 128;
export const RELATIVE_ACCURACY = 0.01;
/** Past this many buckets the lowest ones are collapsed (only percentiles near 0 lose accuracy). */
const MAX_KEYS = 4096;
const GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY);
const LN_GAMMA = Math.log(GAMMA);
/** Magnitudes below this count as zero. */
const MIN_MAGNITUDE = 1e-9;

export interface SketchJson {
  /** Exact values (exact mode). */
  v?: number[];
  /** Positive and negative magnitude buckets as [key, count], and the zero count (sketch mode). */
  p?: [number, number][];
  n?: [number, number][];
  z?: number;
}

export class ValueSketch {
  private values: number[] | null = [];
  private pos = new Map<number, number>();
  private neg = new Map<number, number>();
  private zero = 0;

  get count(): number {
    if (this.values) return this.values.length;
    let c = this.zero;
    for (const n of this.pos.values()) c += n;
    for (const n of this.neg.values()) c += n;
    return c;
  }

  /** Adds `value` `times` times. */
  add(value: number, times = 1): void {
    if (times <= 0) return;
    if (this.values && this.values.length + times <= EXACT_LIMIT) {
      for (let i = 0; i < times; i++) this.values.push(value);
      return;
    }
    this.toSketch();
    this.addToSketch(value, times);
  }

  merge(other: ValueSketch): void {
    if (other.values) {
      if (this.values && this.values.length + other.values.length <= EXACT_LIMIT) {
        for (const v of other.values) this.values.push(v);
        return;
      }
      this.toSketch();
      for (const v of other.values) this.addToSketch(v, 1);
      return;
    }
    this.toSketch();
    for (const [k, n] of other.pos) this.pos.set(k, (this.pos.get(k) ?? 0) + n);
    for (const [k, n] of other.neg) this.neg.set(k, (this.neg.get(k) ?? 0) + n);
    this.zero += other.zero;
    this.collapse();
  }

  /**
   * The nearest-rank percentile (`q` from 0 to 1): the smallest value with at least q of the values at
   * or below it. Undefined for an empty sketch.
   */
  quantile(q: number, min: number, max: number): number | undefined {
    const total = this.count;
    if (total === 0) return undefined;
    const rank = Math.max(0, Math.ceil(q * total) - 1);
    if (this.values) return [...this.values].sort((a, b) => a - b)[rank];
    let seen = 0;
    const clamp = (v: number) => Math.min(max, Math.max(min, v));
    const negKeys = [...this.neg.keys()].sort((a, b) => b - a);
    for (const k of negKeys) {
      seen += this.neg.get(k)!;
      if (seen > rank) return clamp(-valueOf(k));
    }
    seen += this.zero;
    if (seen > rank) return clamp(0);
    const posKeys = [...this.pos.keys()].sort((a, b) => a - b);
    for (const k of posKeys) {
      seen += this.pos.get(k)!;
      if (seen > rank) return clamp(valueOf(k));
    }
    return max;
  }

  toJSON(): SketchJson {
    if (this.values) return { v: this.values };
    return { p: [...this.pos], n: [...this.neg], z: this.zero };
  }

  static fromJSON(json: SketchJson | null | undefined): ValueSketch {
    const s = new ValueSketch();
    if (!json) return s;
    if (Array.isArray(json.v)) {
      s.values = json.v.filter((x) => typeof x === 'number');
      return s;
    }
    s.values = null;
    for (const [k, n] of json.p ?? []) s.pos.set(k, n);
    for (const [k, n] of json.n ?? []) s.neg.set(k, n);
    s.zero = json.z ?? 0;
    return s;
  }

  private toSketch(): void {
    if (!this.values) return;
    const values = this.values;
    this.values = null;
    for (const v of values) this.addToSketch(v, 1);
  }

  private addToSketch(value: number, times: number): void {
    const mag = Math.abs(value);
    if (mag < MIN_MAGNITUDE || !Number.isFinite(value)) {
      this.zero += times;
      return;
    }
    const map = value > 0 ? this.pos : this.neg;
    const k = Math.ceil(Math.log(mag) / LN_GAMMA);
    map.set(k, (map.get(k) ?? 0) + times);
    if (map.size > MAX_KEYS) this.collapse();
  }

  private collapse(): void {
    for (const map of [this.pos, this.neg]) {
      if (map.size <= MAX_KEYS) continue;
      const keys = [...map.keys()].sort((a, b) => a - b);
      const drop = keys.slice(0, keys.length - MAX_KEYS + 1);
      const into = drop[drop.length - 1]!;
      let n = 0;
      for (const k of drop) {
        n += map.get(k)!;
        map.delete(k);
      }
      map.set(into, n);
    }
  }
}

/** The representative value of bucket k: within RELATIVE_ACCURACY of every value the bucket holds. */
function valueOf(k: number): number {
  return (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
}
