/**
 * Transfer speed as what arrived over a recent window. Servers that send in bursts (nginx's
 * limit_rate grants each request a second's worth up front; others flush in large writes)
 * make an instant or briefly smoothed reading swing far above and below the real rate, and a
 * plain window average still errs by up to one burst over the window. So the rate is taken
 * between the first and the last time bytes arrived within the window: whole bursts over
 * the time they span, which is the rate, however the window cuts them. When nothing has
 * arrived for longer than twice the usual gap, the plain window average takes over, so a
 * stalled transfer falls to 0 as the window empties.
 */
export class SpeedMeter {
  readonly #windowMs: number;
  /** Samples (time, bytes), oldest first, spanning at most the window. */
  #samples: Array<{ t: number; bytes: number }> = [];
  /**
   * Whether the oldest sample is the first of the transfer. The meter starts when the transfer
   * does, so that sample marks when bytes began to arrive: it counts as an arrival.
   */
  #fromStart = true;

  /** `windowMs`: how far back the reading looks. Default 5 000 ms. */
  constructor(windowMs = 5_000) {
    this.#windowMs = windowMs;
  }

  /** Bytes per second; 0 until two samples at least 200 ms apart exist. */
  get speed(): number {
    const samples = this.#samples;
    const first = samples[0];
    const last = samples.at(-1);
    if (first === undefined || last === undefined || last.t - first.t < 200) return 0;
    const plain = ((last.bytes - first.bytes) * 1000) / (last.t - first.t);
    // Times at which bytes arrived (the counter moved since the sample before).
    let firstMove: { t: number; bytes: number } | undefined = this.#fromStart ? first : undefined;
    let lastMove: { t: number; bytes: number } | undefined = firstMove;
    let moves = firstMove === undefined ? 0 : 1;
    for (let i = 1; i < samples.length; i++) {
      const s = samples[i]!;
      if (s.bytes === samples[i - 1]!.bytes) continue;
      firstMove ??= s;
      lastMove = s;
      moves += 1;
    }
    if (firstMove === undefined || lastMove === undefined || moves < 2) return Math.round(plain);
    const span = lastMove.t - firstMove.t;
    const usualGap = span / (moves - 1);
    if (last.t - lastMove.t > 2 * usualGap) return Math.round(plain);
    return Math.round(((lastMove.bytes - firstMove.bytes) * 1000) / span);
  }

  /** Records the counter's value at time `now` (ms). */
  sample(bytes: number, now: number): void {
    const last = this.#samples.at(-1);
    if (last !== undefined && (bytes < last.bytes || now < last.t)) this.reset();
    this.#samples.push({ t: now, bytes });
    // Keep one sample at or before the window's start, so the window is full once it can be.
    while (this.#samples.length > 2 && (this.#samples[1]?.t ?? now) <= now - this.#windowMs) {
      this.#samples.shift();
      this.#fromStart = false;
    }
  }

  reset(): void {
    this.#samples = [];
    this.#fromStart = true;
  }
}
