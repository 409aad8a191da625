/**
 * Transfer speed as what arrived over a recent window: (bytes now − bytes then) / elapsed.
 * Servers that send in bursts (nginx's limit_rate grants each request a second's worth up
 * front; others flush in large writes) make any instant or short-smoothed reading swing far
 * above and below the real rate; a window several bursts long does not, and it still
 * follows a real change within a few seconds. A counter that goes down (the file started
 * over) starts a new window.
 */
export class SpeedMeter {
  readonly #windowMs: number;
  /** Samples (time, bytes), oldest first, spanning at most the window. */
  #samples: Array<{ t: number; bytes: number }> = [];

  /** `windowMs`: how far back the reading looks. Default 3 000 ms. */
  constructor(windowMs = 3_000) {
    this.#windowMs = windowMs;
  }

  /** Bytes per second over the window; 0 until two samples at least 200 ms apart exist. */
  get speed(): number {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    if (first === undefined || last === undefined || last.t - first.t < 200) return 0;
    return Math.round(((last.bytes - first.bytes) * 1000) / (last.t - first.t));
  }

  /** Records the counter's value at time `now` (ms). */
  sample(bytes: number, now: number): void {
    const last = this.#samples.at(-1);
    if (last !== undefined && (bytes < last.bytes || now < last.t)) this.#samples = [];
    this.#samples.push({ t: now, bytes });
    // Keep one sample at or before the window's start, so the window is always full once it can be.
    while (this.#samples.length > 2 && (this.#samples[1]?.t ?? now) <= now - this.#windowMs) this.#samples.shift();
  }

  reset(): void {
    this.#samples = [];
  }
}
