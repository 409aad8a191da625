/** Ticks a new count is given to ramp up before it is judged (a new connection's opening burst would flatter it). */
const RAMP_TICKS = 2;
/**
 * Ticks averaged to judge a count (600 ms at the default tick): long enough that a server
 * sending in bursts (64 KiB every 250 ms per connection) is measured by what it delivers, not
 * by whether one short tick happened to catch a burst.
 */
const JUDGE_TICKS = 6;

/**
 * How many connections a segmented download runs. It starts with `initial`; each count gets a
 * few ticks to ramp up and is then judged by its average over a window of ticks; the count
 * doubles while that beats the previous count by a fifth and growing is allowed. A window
 * that delivered nothing decides nothing (it is measured again). A doubling that brought
 * nothing is undone, back to the count before it, even once growing is no longer allowed (a
 * doubling that made the process busy must still be judged), and probing stops there: no
 * more connections than the link rewards.
 */
export class ConnectionGrowth {
  #target: number;
  /** The average of the count before the last doubling, and that count. */
  #previous = 0;
  #previousCount: number;
  #ticks = 0;
  #sum = 0;
  #samples = 0;
  #settledOn = false;

  constructor(initial: number) {
    this.#target = initial;
    this.#previousCount = initial;
  }

  get target(): number {
    return this.#target;
  }

  /** A connection was refused: run at most `connections` from now on, and stop probing. */
  cap(connections: number): void {
    this.#target = Math.max(1, Math.min(this.#target, connections));
    this.#settledOn = true;
  }

  /**
   * One tick: `throughput` over it (bytes/s), whether all `target` connections were running,
   * the current ceiling, and whether more connections may be tried now. Returns the target.
   */
  tick(throughput: number, atTarget: boolean, limit: number, mayGrow: boolean): number {
    if (atTarget) {
      this.#ticks += 1;
      if (this.#ticks > RAMP_TICKS) {
        this.#sum += throughput;
        this.#samples += 1;
      }
    }
    if (!this.#settledOn && this.#samples >= JUDGE_TICKS) {
      const settled = this.#sum / this.#samples;
      this.#sum = 0;
      this.#samples = 0;
      if (settled > 0) this.#judge(settled, limit, mayGrow);
    }
    this.#target = Math.min(this.#target, limit);
    return this.#target;
  }

  #judge(settled: number, limit: number, mayGrow: boolean): void {
    if (this.#previous > 0 && settled <= this.#previous * 1.05) {
      // The last doubling did not pay: go back to the count that did, and stay.
      this.#target = Math.max(1, this.#previousCount);
      this.#settledOn = true;
    } else if (mayGrow && settled > this.#previous * 1.2 && this.#target < limit) {
      this.#previousCount = this.#target;
      this.#target = Math.min(limit, this.#target * 2);
      this.#previous = settled;
      this.#ticks = 0;
    }
  }
}
