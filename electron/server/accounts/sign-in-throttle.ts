import type { Clock } from '../../engine/clock.ts';
import { HaulError } from '../../engine/errors.ts';

/** Failures counted this long. */
const WINDOW_MS = 60 * 60_000;
/** The first wait once a key's free failures are used; each further failure doubles it. */
const FIRST_WAIT_MS = 1_000;
/** Keys remembered at most (oldest forgotten first), so a flood of names cannot grow memory. */
const MAX_KEYS = 10_000;

/**
 * Free failures and the longest wait, per key. A name tried from one address is slowed most:
 * that is someone guessing one password. A name over all addresses and an address over all
 * names are slowed less and never for long, so nobody can lock a user (or everyone behind
 * one proxy) out: the right password from the right person still gets in.
 */
const RULES = {
  pair: { free: 5, maxWaitMs: 15 * 60_000 },
  name: { free: 20, maxWaitMs: 60_000 },
  address: { free: 50, maxWaitMs: 60_000 },
} as const;

type Kind = keyof typeof RULES;

/** One sign-in attempt, counted as failed until `succeeded()` says otherwise. */
export interface Attempt {
  succeeded(): void;
}

/**
 * Slows password guessing with a growing wait per name and client address. An attempt is
 * counted when it begins, before the password is checked, so many sent at once are counted
 * as they arrive and cannot all slip past the count.
 */
export class SignInThrottle {
  readonly #clock: Clock;
  readonly #failures = new Map<string, number[]>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** Counts an attempt for `name` from `address`, or refuses it (TOO_MANY_ATTEMPTS) while a wait is due. */
  begin(name: string, address: string): Attempt {
    const now = this.#clock.now();
    const keys: Array<[Kind, string]> = [
      ['pair', `pair:${name.toLowerCase()}\0${address}`],
      ['name', `name:${name.toLowerCase()}`],
      ['address', `addr:${address}`],
    ];
    const wait = Math.max(0, ...keys.map(([kind, key]) => this.#waitFor(kind, key, now)));
    if (wait > 0) throw new HaulError('TOO_MANY_ATTEMPTS', `Too many failed sign-ins. Wait ${describeWait(wait)}, then try again.`, { params: { tries: RULES.pair.free } });
    for (const [, key] of keys) this.#record(key, now);
    return {
      // A success clears this name's failures from this address only; the address's count for other names stays.
      succeeded: () => {
        this.#failures.delete(keys[0]![1]);
        for (const [, key] of keys.slice(1)) this.#forgetOne(key, now);
      },
    };
  }

  #waitFor(kind: Kind, key: string, now: number): number {
    const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    const rule = RULES[kind];
    if (recent.length < rule.free) return 0;
    const delay = Math.min(FIRST_WAIT_MS * 2 ** (recent.length - rule.free), rule.maxWaitMs);
    return Math.max(0, (recent.at(-1) ?? now) + delay - now);
  }

  #record(key: string, now: number): void {
    const recent = (this.#failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
    this.#failures.delete(key);
    this.#failures.set(key, [...recent, now]);
    if (this.#failures.size > MAX_KEYS) this.#failures.delete(this.#failures.keys().next().value!);
  }

  #forgetOne(key: string, at: number): void {
    const list = this.#failures.get(key);
    const i = list?.lastIndexOf(at) ?? -1;
    if (list !== undefined && i >= 0) list.splice(i, 1);
  }
}

function describeWait(ms: number): string {
  const seconds = Math.ceil(ms / 1_000);
  return seconds < 120 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}
