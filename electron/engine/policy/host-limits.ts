import type { HostLimit } from '../../../shared/api.ts';
import type { Clock } from '../clock.ts';
import type { DownloadStore } from '../store/download-store.ts';

export interface HostLimitOptions {
  /** After this long, a learnt ceiling is probed upward (doubled). Default 10 minutes. */
  recoverAfterMs: number;
  /** A ceiling at or above this is forgotten. Default 32 (the most connections a download uses). */
  forgetAt: number;
}

export const DEFAULT_HOST_LIMITS: HostLimitOptions = { recoverAfterMs: 10 * 60_000, forgetAt: 32 };

/**
 * What Haul has learnt about hosts that refuse extra connections: the most connections each
 * accepts. The one owner of that knowledge, kept in memory and persisted on change. A ceiling
 * is not for ever: it rises by one after a clean transfer, doubles once it is older than
 * `recoverAfterMs`, is forgotten when it no longer limits anything, and can be reset.
 */
export class HostLimits {
  readonly #store: DownloadStore;
  readonly #clock: Clock;
  readonly #opts: HostLimitOptions;
  readonly #limits = new Map<string, { connections: number; learnedAt: number }>();

  constructor(store: DownloadStore, clock: Clock, opts: Partial<HostLimitOptions> = {}) {
    this.#store = store;
    this.#clock = clock;
    this.#opts = { ...DEFAULT_HOST_LIMITS, ...opts };
    for (const row of store.loadHostLimits()) this.#limits.set(row.host, { connections: row.connections, learnedAt: Date.parse(row.learnedAt) || clock.now() });
  }

  /** The ceiling for `host` now, or undefined when there is none. */
  ceiling(host: string): number | undefined {
    const limit = this.#limits.get(host);
    if (limit === undefined) return undefined;
    const now = this.#clock.now();
    if (now - limit.learnedAt >= this.#opts.recoverAfterMs) this.#set(host, limit.connections * 2, now);
    return this.#limits.get(host)?.connections;
  }

  /** `host` refused a connection while `working` others were open: allow only those. */
  stepDown(host: string, working: number): void {
    this.#set(host, Math.max(1, Math.min(working, this.ceiling(host) ?? Number.POSITIVE_INFINITY)), this.#clock.now());
  }

  /** A download from `host` finished without a refusal: allow one more next time. */
  cleanTransfer(host: string): void {
    const limit = this.#limits.get(host);
    if (limit !== undefined) this.#set(host, limit.connections + 1, limit.learnedAt);
  }

  list(): HostLimit[] {
    return [...this.#limits].map(([host, limit]) => ({ host, connections: limit.connections, learnedAt: new Date(limit.learnedAt).toISOString() }));
  }

  /** Forgets what was learnt about `host`; returns whether there was anything. */
  reset(host: string): boolean {
    const had = this.#limits.delete(host);
    if (had) this.#store.deleteHostLimit(host);
    return had;
  }

  #set(host: string, connections: number, learnedAt: number): void {
    if (connections >= this.#opts.forgetAt) {
      this.reset(host);
      return;
    }
    this.#limits.set(host, { connections, learnedAt });
    // What was learnt is a hint: a data folder that cannot take it (full) must not fail a transfer.
    try {
      this.#store.saveHostLimit(host, connections, new Date(learnedAt).toISOString());
    } catch {
      // Kept in memory for this run.
    }
  }
}
