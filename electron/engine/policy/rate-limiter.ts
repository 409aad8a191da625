import type { Clock } from '../clock.ts';

/**
 * A token bucket shared by every connection it governs. `take` spends tokens and answers
 * how long the caller must wait before reading more, so the average rate holds to the
 * limit while a burst never exceeds `burstMs` worth of bytes. A rate of 0 means no limit.
 */
/** How long to wait before reading `bytes` more under every limiter at once (the longest any asks for). */
export function throttleAll(limiters: ReadonlyArray<Pick<RateLimiter, 'take'>>, bytes: number): number {
  return limiters.reduce((wait, limiter) => Math.max(wait, limiter.take(bytes)), 0);
}

export class RateLimiter {
  #rate: number;
  #tokens: number;
  #last: number;
  readonly #clock: Clock;
  readonly #burstMs: number;

  constructor(clock: Clock, bytesPerSecond: number, burstMs = 250) {
    this.#clock = clock;
    this.#rate = bytesPerSecond;
    this.#burstMs = burstMs;
    this.#tokens = this.#capacity();
    this.#last = clock.now();
  }

  get rate(): number {
    return this.#rate;
  }

  /** Changes the limit at once; tokens already earned stay within the new capacity. */
  setRate(bytesPerSecond: number): void {
    this.#refill();
    this.#rate = bytesPerSecond;
    this.#tokens = Math.min(this.#tokens, this.#capacity());
  }

  /** Spends `bytes`; returns milliseconds to wait before reading more (0 when within the limit). */
  take(bytes: number): number {
    if (this.#rate <= 0) return 0;
    this.#refill();
    this.#tokens -= bytes;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#rate) * 1000);
  }

  #capacity(): number {
    return (this.#rate * this.#burstMs) / 1000;
  }

  #refill(): void {
    const now = this.#clock.now();
    const elapsed = now - this.#last;
    this.#last = now;
    if (this.#rate > 0 && elapsed > 0) {
      this.#tokens = Math.min(this.#capacity(), this.#tokens + (elapsed / 1000) * this.#rate);
    }
  }
}
