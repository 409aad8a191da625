import { createHash } from 'node:crypto';

/** aria2's download handle: 16 lower-case hex digits. */
export const GID_PATTERN = /^[0-9a-f]{16}$/u;

/**
 * The gid of a Haul download: the first 16 hex digits of its id's SHA-256, so the same
 * download has the same gid on every call, every node and after a restart, with nothing
 * stored. Ids are random, so two downloads sharing a gid is a 1-in-2^64 chance per pair.
 */
export function gidOf(id: string): string {
  return createHash('sha256').update(id).digest('hex').slice(0, 16);
}

/** Finds the id behind a gid among the ids there are now, remembering each id's gid once worked out. */
export class GidIndex {
  readonly #gids = new Map<string, string>();

  gid(id: string): string {
    let gid = this.#gids.get(id);
    if (gid === undefined) {
      gid = gidOf(id);
      this.#gids.set(id, gid);
    }
    return gid;
  }

  /** The id among `ids` whose gid is `gid`; ids no longer listed are forgotten on the way. */
  find(gid: string, ids: Iterable<string>): string | undefined {
    const present = new Set(ids);
    let found: string | undefined;
    for (const id of present) if (this.gid(id) === gid) found = id;
    for (const id of this.#gids.keys()) if (!present.has(id)) this.#gids.delete(id);
    return found;
  }
}
