import type { Redis } from 'ioredis';
import { sleep, type Clock } from '../../engine/clock.ts';
import { KEYS } from './keys.ts';
import { pairsOf } from './record-fields.ts';

/** One stream entry: its number (the N of `N-0`) and its fields. */
export interface StreamEntry {
  n: number;
  fields: Record<string, string>;
}

export interface FollowerOptions {
  /** A connection of its own: XREAD blocks it. */
  redis: Redis;
  clock: Clock;
  /** Read entries after this number. */
  after: number;
  /** Each entry, in order. */
  onEntry(entry: StreamEntry): void;
  /** Entries between `after` and `next` were trimmed away before this node read them: what it holds may be stale. */
  onGap(after: number, next: number): Promise<void>;
  onError(error: unknown): void;
  /** How long one read waits for news. Default 2 000 ms. */
  blockMs?: number;
}

/**
 * Reads the shared stream from where this node is, for as long as it runs. Redis being away
 * is waited out (reads again every 0.5 s, rising to 5 s); entries this node missed for good are
 * reported, never skipped silently. `caughtUp` lets a request wait until this node has seen
 * everything that happened before it arrived (read-your-writes through any node).
 */
export class StreamFollower {
  readonly #opts: FollowerOptions;
  #last: number;
  #closed = false;
  #waiters: Array<{ n: number; resolve: () => void }> = [];
  readonly #done: Promise<void>;

  constructor(opts: FollowerOptions) {
    this.#opts = opts;
    this.#last = opts.after;
    this.#done = this.#loop();
  }

  /** The number of the newest entry taken in. */
  get last(): number {
    return this.#last;
  }

  /** Resolves once entry `n` has been taken in (or at once if it was), or after `timeoutMs` regardless. */
  reached(n: number, timeoutMs: number): Promise<void> {
    if (n <= this.#last || this.#closed) return Promise.resolve();
    return new Promise((resolve) => {
      const waiter = { n, resolve };
      this.#waiters.push(waiter);
      this.#opts.clock.setTimeout(() => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        resolve();
      }, timeoutMs);
    });
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#opts.redis.disconnect();
    for (const w of this.#waiters) w.resolve();
    this.#waiters = [];
    await this.#done;
  }

  async #loop(): Promise<void> {
    const { redis, clock } = this.#opts;
    let backoff = 500;
    while (!this.#closed) {
      try {
        const reply = (await redis.xread('COUNT', 1000, 'BLOCK', this.#opts.blockMs ?? 2_000, 'STREAMS', KEYS.stream, String(this.#last))) as Array<[string, Array<[string, string[]]>]> | null;
        backoff = 500;
        for (const raw of reply?.[0]?.[1] ?? []) {
          const entry = toEntry(raw);
          if (entry.n > this.#last + 1) await this.#opts.onGap(this.#last, entry.n);
          this.#last = entry.n;
          try {
            this.#opts.onEntry(entry);
          } catch (error) {
            this.#opts.onError(error);
          }
        }
        this.#wake();
      } catch (error) {
        if (this.#closed) break;
        this.#opts.onError(error);
        await sleep(clock, backoff);
        backoff = Math.min(5_000, backoff * 2);
      }
    }
  }

  #wake(): void {
    const ready = this.#waiters.filter((w) => w.n <= this.#last);
    if (ready.length === 0) return;
    this.#waiters = this.#waiters.filter((w) => w.n > this.#last);
    for (const w of ready) w.resolve();
  }
}

/** A stream entry as XRANGE and XREAD give it: its id and its flat field list. */
export function toEntry([id, flat]: readonly [string, readonly string[]]): StreamEntry {
  return { n: Number.parseInt(id, 10), fields: pairsOf(flat) };
}
