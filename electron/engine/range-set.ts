/** A half-open byte range [start, end). */
export type Range = readonly [start: number, end: number];

/**
 * A set of byte ranges kept as sorted, disjoint, non-adjacent intervals: which bytes of a
 * file are on disk. Small (one interval per gap), so it persists as JSON cheaply.
 */
export class RangeSet {
  #ranges: Array<[number, number]>;

  constructor(ranges: readonly Range[] = []) {
    this.#ranges = [];
    for (const [s, e] of ranges) this.add(s, e);
  }

  get ranges(): readonly Range[] {
    return this.#ranges;
  }

  /** Total bytes covered. */
  get size(): number {
    let n = 0;
    for (const [s, e] of this.#ranges) n += e - s;
    return n;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    const out: Array<[number, number]> = [];
    let s = start;
    let e = end;
    let placed = false;
    for (const r of this.#ranges) {
      if (r[1] < s) out.push(r);
      else if (r[0] > e) {
        if (!placed) {
          out.push([s, e]);
          placed = true;
        }
        out.push(r);
      } else {
        s = Math.min(s, r[0]);
        e = Math.max(e, r[1]);
      }
    }
    if (!placed) out.push([s, e]);
    this.#ranges = out;
  }

  /** Removes [start, end). */
  subtract(start: number, end: number): void {
    if (end <= start) return;
    const out: Array<[number, number]> = [];
    for (const [s, e] of this.#ranges) {
      if (e <= start || s >= end) out.push([s, e]);
      else {
        if (s < start) out.push([s, start]);
        if (e > end) out.push([end, e]);
      }
    }
    this.#ranges = out;
  }

  /** The parts of [0, total) not covered, in order. */
  gaps(total: number): Range[] {
    const out: Range[] = [];
    let at = 0;
    for (const [s, e] of this.#ranges) {
      if (s > at) out.push([at, Math.min(s, total)]);
      at = Math.max(at, e);
    }
    if (at < total) out.push([at, total]);
    return out.filter(([s, e]) => e > s);
  }

  /** Bytes covered from 0 without a gap. */
  get prefix(): number {
    const first = this.#ranges[0];
    return first !== undefined && first[0] === 0 ? first[1] : 0;
  }

  clone(): RangeSet {
    return new RangeSet(this.#ranges);
  }

  toJSON(): Range[] {
    return this.#ranges.map(([s, e]) => [s, e]);
  }
}
