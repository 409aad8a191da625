import type { Download } from '../../../shared/api.ts';

/** As aria2's `max-download-result`: results kept at most, the oldest forgotten first. */
const MAX_KEPT = 1000;

/**
 * Downloads removed over RPC, kept as they were so `tellStatus` and `tellStopped` answer
 * `removed` for them until the client purges the result, as aria2 does. Haul itself forgets a
 * removed download at once; these live in this process only (a restart forgets them).
 */
export class RemovedResults {
  readonly #byGid = new Map<string, Download>();

  add(gid: string, download: Download): void {
    this.#byGid.delete(gid);
    this.#byGid.set(gid, download);
    if (this.#byGid.size > MAX_KEPT) this.#byGid.delete(this.#byGid.keys().next().value ?? '');
  }

  get(gid: string): Download | undefined {
    return this.#byGid.get(gid);
  }

  delete(gid: string): boolean {
    return this.#byGid.delete(gid);
  }

  /** Oldest first, with their gids. */
  entries(): Array<[string, Download]> {
    return [...this.#byGid.entries()];
  }
}
