import type { ProgressItem } from '../../../shared/api.ts';
import type { LiveState } from '../../engine/records/record.ts';

/** The latest numbers of downloads running on other nodes, from their progress events, so this node's list and snapshots show them. */
export class LiveElsewhere {
  readonly #live = new Map<string, LiveState>();

  /** Takes the items of downloads `elsewhere` says run on another node. */
  take(items: readonly ProgressItem[], elsewhere: (id: string) => boolean): void {
    for (const item of items) if (elsewhere(item.id)) this.#live.set(item.id, { received: item.received, speed: item.speed, connections: item.connections });
  }

  get(id: string): LiveState | undefined {
    return this.#live.get(id);
  }

  /** A download stopped running anywhere, or was removed. */
  forget(id: string): void {
    this.#live.delete(id);
  }
}
