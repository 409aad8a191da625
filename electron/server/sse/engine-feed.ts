import type { ProgressItem } from '../../../shared/api.ts';
import type { Engine } from '../../engine/engine.ts';
import type { EventFeed } from './event-hub.ts';
import type { LoggedEvent } from './event-log.ts';

/**
 * The events of this process's engine (one machine), each with an id from a counter that
 * survives restarts, so an id is never reused and one from an earlier run is recognisably
 * unknown. Ids are reserved in blocks to keep store writes rare. Several nodes take theirs
 * from the shared stream instead (see cluster-feed).
 */
export function engineFeed(engine: Engine, reserve: (count: number) => number, blockSize = 10_000): EventFeed {
  const ids = new IdBlocks(reserve, blockSize);
  return {
    after: ids.first,
    subscribe(sink) {
      const state = (name: Exclude<LoggedEvent['name'], 'progress'>) => (data: LoggedEvent['data']) => sink.state(name, data, ids.next());
      const listeners = {
        added: state('added'),
        updated: state('updated'),
        removed: state('removed'),
        settings: state('settings'),
        progress: (items: ProgressItem[]) => sink.progress(items, ids.next()),
      };
      engine.on('added', listeners.added);
      engine.on('updated', listeners.updated);
      engine.on('removed', listeners.removed);
      engine.on('settings', listeners.settings);
      engine.on('progress', listeners.progress);
      return () => {
        engine.off('added', listeners.added);
        engine.off('updated', listeners.updated);
        engine.off('removed', listeners.removed);
        engine.off('settings', listeners.settings);
        engine.off('progress', listeners.progress);
      };
    },
  };
}

/** Rising ids from blocks reserved of a counter that survives restarts. */
export class IdBlocks {
  readonly #reserve: (count: number) => number;
  readonly #blockSize: number;
  /** The id before the first one handed out: it marks "nothing happened yet" in this run. */
  readonly first: number;
  #next: number;
  #blockEnd: number;

  constructor(reserve: (count: number) => number, blockSize: number) {
    this.#reserve = reserve;
    this.#blockSize = blockSize;
    this.first = reserve(blockSize);
    this.#next = this.first + 1;
    this.#blockEnd = this.first + blockSize;
  }

  next(): number {
    if (this.#next >= this.#blockEnd) this.#nextBlock();
    return this.#next++;
  }

  /**
   * A store that cannot write now (a full data folder) does not stop events: ids go on rising,
   * and the reservation is tried again a hundred ids later.
   */
  #nextBlock(): void {
    try {
      const first = this.#reserve(this.#blockSize);
      this.#next = Math.max(this.#next, first);
      this.#blockEnd = first + this.#blockSize;
    } catch {
      this.#blockEnd = this.#next + 100;
    }
  }
}
