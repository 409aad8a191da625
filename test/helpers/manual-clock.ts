import type { Clock } from '../../electron/engine/clock.ts';

/**
 * A clock that moves only when told (time is injected, no fake timers): `advance` runs every
 * timer that falls due, in time order, each seeing `now()` at its own due time.
 */
export class ManualClock implements Clock {
  #now: number;
  #nextId = 0;
  readonly #timers = new Map<number, { at: number; every: number | undefined; fn: () => void }>();

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    return this.#add(fn, ms, undefined);
  }

  setInterval(fn: () => void, ms: number): () => void {
    return this.#add(fn, ms, Math.max(1, ms));
  }

  /** Timers waiting now. */
  get pending(): number {
    return this.#timers.size;
  }

  advance(ms: number): void {
    const until = this.#now + ms;
    for (;;) {
      let next: [number, { at: number; every: number | undefined; fn: () => void }] | undefined;
      for (const entry of this.#timers) if (entry[1].at <= until && (next === undefined || entry[1].at < next[1].at)) next = entry;
      if (next === undefined) break;
      const [id, timer] = next;
      this.#now = timer.at;
      if (timer.every === undefined) this.#timers.delete(id);
      else timer.at += timer.every;
      timer.fn();
    }
    this.#now = until;
  }

  #add(fn: () => void, ms: number, every: number | undefined): () => void {
    const id = this.#nextId++;
    this.#timers.set(id, { at: this.#now + Math.max(0, ms), every, fn });
    return () => this.#timers.delete(id);
  }
}
