/**
 * Smoothed transfer speed: an exponentially weighted moving average over samples of a byte
 * counter, so the number people watch is steady but follows real changes within seconds.
 */
export class SpeedMeter {
  #lastBytes: number | undefined;
  #lastTime = 0;
  #speed = 0;
  readonly #halfLifeMs: number;

  /** `halfLifeMs`: how fast old samples fade. Default 2 000 ms. */
  constructor(halfLifeMs = 2_000) {
    this.#halfLifeMs = halfLifeMs;
  }

  /** Bytes per second, smoothed. */
  get speed(): number {
    return Math.round(this.#speed);
  }

  /** Records the counter's value at time `now` (ms). */
  sample(bytes: number, now: number): void {
    if (this.#lastBytes === undefined || bytes < this.#lastBytes) {
      this.#lastBytes = bytes;
      this.#lastTime = now;
      return;
    }
    const dt = now - this.#lastTime;
    if (dt <= 0) return;
    const instant = ((bytes - this.#lastBytes) * 1000) / dt;
    const weight = 1 - 0.5 ** (dt / this.#halfLifeMs);
    // The first real sample is taken as is, so speed shows at once instead of creeping up.
    this.#speed = this.#speed === 0 ? instant : this.#speed + weight * (instant - this.#speed);
    this.#lastBytes = bytes;
    this.#lastTime = now;
  }

  reset(): void {
    this.#lastBytes = undefined;
    this.#speed = 0;
  }
}
