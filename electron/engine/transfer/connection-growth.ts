/**
 * How many connections a segmented download runs. It starts with `initial`; each count gets a
 * tick to ramp up (a new connection's opening burst would flatter it) and is judged by the
 * settled tick after; the count doubles while that beats the previous count by a fifth. A
 * doubling that brought nothing is undone, and probing stops there: no more connections than
 * the link rewards.
 */
export class ConnectionGrowth {
  #target: number;
  #previous = 0;
  #settled = 0;
  #ticks = 0;
  #settledOn = false;

  constructor(initial: number) {
    this.#target = initial;
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
   * the current ceiling, and whether more connections could help at all. Returns the target.
   */
  tick(throughput: number, atTarget: boolean, limit: number, mayGrow: boolean): number {
    if (atTarget) {
      this.#ticks += 1;
      if (this.#ticks === 2) this.#settled = throughput;
    }
    if (mayGrow && !this.#settledOn && this.#ticks >= 2) {
      if (this.#settled > this.#previous * 1.2 && this.#target < limit) {
        this.#target = Math.min(limit, this.#target * 2);
        this.#previous = this.#settled;
        this.#settled = 0;
        this.#ticks = 0;
      } else if (this.#previous > 0 && this.#settled <= this.#previous * 1.05) {
        // The last doubling did not pay: go back to the count that did, and stay.
        this.#target = Math.max(1, Math.floor(this.#target / 2));
        this.#settledOn = true;
      }
    }
    this.#target = Math.min(this.#target, limit);
    return this.#target;
  }
}
