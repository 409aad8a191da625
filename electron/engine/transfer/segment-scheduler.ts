import { RangeSet } from '../range-set.ts';
import { Segment } from './segment.ts';

export interface SchedulerOptions {
  /** Smallest piece split off a running connection. Default 1 MiB. */
  minPiece: number;
  /** In the tail, a slow last range this large may still be split (the hedge). Default 128 KiB. */
  minTailPiece: number;
  /** A tail range is hedged only if it would take longer than this at its speed. Default 1 000 ms. */
  tailHedgeAfterMs: number;
  /** A connection is judged a straggler only after running this long (slow start is not slowness). Default 500 ms. */
  stragglerGraceMs: number;
}

/** A connection this many times slower than the fastest is a straggler. */
const STRAGGLER_RATIO = 4;
/** A connection that delivered nothing for this long is a straggler too, even the last one running: its rest is fetched again. */
const STALL_MS = 2_000;

export const DEFAULT_SCHEDULER: SchedulerOptions = { minPiece: 1024 * 1024, minTailPiece: 128 * 1024, tailHedgeAfterMs: 1_000, stragglerGraceMs: 500 };

/**
 * Hands out work to connections. A new connection takes the first range nobody owns, else the
 * far half of the running range with the most time left (dynamic splitting: no fixed
 * pre-split). Splits land beyond every accepted byte, so ranges never overlap; a connection
 * that stops early gives its unfetched part back, so nothing is left as a gap.
 */
export class SegmentScheduler {
  readonly #opts: SchedulerOptions;
  /** Ranges neither on disk nor owned by a connection. */
  #free: RangeSet;
  readonly active = new Set<Segment>();

  constructor(total: number, onDisk: RangeSet, opts: SchedulerOptions = DEFAULT_SCHEDULER) {
    this.#opts = opts;
    this.#free = new RangeSet(onDisk.gaps(total));
  }

  /** True when no range is free and no connection is running. */
  get finished(): boolean {
    return this.#free.size === 0 && this.active.size === 0;
  }

  /**
   * Work for one more connection, or undefined when splitting would not help. `takerSpeed` is
   * the taker's own recent speed if it has one (else the fastest running connection's).
   */
  take(now: number, takerSpeed = 0): Segment | undefined {
    const gap = this.#free.ranges[0];
    if (gap !== undefined) {
      this.#free = new RangeSet(this.#free.ranges.slice(1));
      return this.#track(new Segment(gap[0], gap[1], now));
    }
    const victim = this.#victim();
    if (victim === undefined || victim.end === null) return undefined;
    const cut = this.#cut(victim, takerSpeed > 0 ? takerSpeed : this.#fastest());
    if (cut === undefined) return undefined;
    const piece = new Segment(cut, victim.end, now);
    victim.shrinkTo(cut);
    return this.#track(piece);
  }

  /**
   * The running range to split: a straggler's first (its rest moves to a faster connection),
   * else the one with the most time left at its speed. A connection not yet measured counts
   * as fast as the fastest: it is most likely just starting, not slow.
   */
  #victim(): Segment | undefined {
    const fastest = Math.max(this.#fastest(), 1);
    let victim: Segment | undefined;
    let longest = 0;
    for (const seg of this.active) {
      if (seg.end === null || seg.remaining === 0) continue;
      const score = (seg.straggler ? Number.MAX_SAFE_INTEGER : 0) + seg.remaining / (seg.speed > 0 ? seg.speed : fastest);
      if (score > longest) {
        longest = score;
        victim = seg;
      }
    }
    return victim;
  }

  /**
   * Where to split `victim` for a taker at `takerSpeed`. Both should finish together, so a
   * slow victim keeps only what it can fetch in the time the taker needs for the rest; a
   * straggler keeps nothing (its connection is closed, and its tail fetched again). A victim that would
   * still take long may give up a small piece, a fast one only a large one; the cut lands
   * where its request in flight ends when that is soon, so its connection is not cut.
   */
  #cut(victim: Segment, takerSpeed: number): number | undefined {
    const remaining = victim.remaining;
    // A straggler's rest is fetched again, all of it, by a faster connection; it stops at once.
    if (victim.straggler) return remaining > 0 ? victim.accepted : undefined;
    const end = victim.end ?? 0;
    const measured = victim.speed > 0 && takerSpeed > 0;
    const keep = measured ? Math.floor((remaining * victim.speed) / (victim.speed + takerSpeed)) : Math.floor(remaining / 2);
    const slow = victim.speed > 0 ? (remaining / victim.speed) * 1000 > this.#opts.tailHedgeAfterMs : this.active.size === 1;
    const minPiece = slow ? this.#opts.minTailPiece : this.#opts.minPiece;
    if (remaining - keep < minPiece || (!slow && remaining < 2 * this.#opts.minPiece)) return undefined;
    const cut = victim.accepted + keep;
    // Cutting the victim's request in flight closes its connection: worth it only when it would
    // take long to get there.
    const toRequestEndMs = victim.speed > 0 ? ((victim.requestEnd - victim.accepted) / victim.speed) * 1000 : 0;
    if (victim.requestEnd > cut && end - victim.requestEnd >= minPiece && toRequestEndMs <= this.#opts.tailHedgeAfterMs) return victim.requestEnd;
    return cut;
  }

  #fastest(): number {
    let best = 0;
    for (const seg of this.active) best = Math.max(best, seg.speed);
    return best;
  }

  /**
   * Marks connections that have run a while at under a quarter of the fastest one's speed, and
   * connections that delivered nothing for STALL_MS though bytes are left for them; returns how many.
   */
  markStragglers(now: number): number {
    const fastest = this.#fastest();
    let count = 0;
    for (const seg of this.active) {
      const slow = this.active.size > 1 && seg.speed > 0 && now - seg.createdAt >= this.#opts.stragglerGraceMs && seg.speed * STRAGGLER_RATIO < fastest;
      const stalled = seg.remaining > 0 && now - seg.lastProgressAt >= STALL_MS;
      seg.markStraggler(slow || stalled);
      if (seg.straggler) count += 1;
    }
    return count;
  }

  /** A connection stopped; its unfetched bytes become free for others. */
  release(seg: Segment): void {
    this.active.delete(seg);
    if (seg.end !== null && seg.accepted < seg.end) this.#free.add(seg.accepted, seg.end);
  }

  /** Takes over a connection that started before the size was known, and the range it covers. */
  adopt(seg: Segment): void {
    if (seg.end !== null) this.#free.subtract(seg.accepted, seg.end);
    this.active.add(seg);
  }

  #track(seg: Segment): Segment {
    this.active.add(seg);
    return seg;
  }
}
