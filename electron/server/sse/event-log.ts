import type { EventName, EventPayloads, ProgressItem } from '../../../shared/api.ts';

export type LoggedEvent = { [K in Exclude<EventName, 'snapshot'>]: { id: number; name: K; data: EventPayloads[K] } }[Exclude<EventName, 'snapshot'>];

export interface Replay {
  /** Events missed, in order; each run of progress events summarised into one (its items' latest values). */
  events: LoggedEvent[];
}

/**
 * A bounded history of recent events, so a client that reconnects with Last-Event-ID gets
 * exactly what it missed. Ids come from `reserve(count)`, a counter that survives restarts
 * (reserved in blocks to keep store writes rare), so an id is never reused and one from an
 * earlier run is recognisably unknown.
 */
export class EventLog {
  readonly #reserve: ((count: number) => number) | undefined;
  readonly #capacity: number;
  readonly #blockSize: number;
  readonly #events: LoggedEvent[] = [];
  #weight = 0;
  /** First id of this run: anything below it is from an earlier run. */
  readonly firstId: number;
  #next: number;
  #blockEnd: number;
  /** Newest id no longer held (dropped, or before this log began): a replay must start at or after it. */
  #horizon: number;

  /**
   * `ids`: where ids come from: `reserve(count)`, a counter that survives restarts, or `after`:
   * ids are given with each event (a shared stream's), all greater than this one.
   * `capacity`: how much history is kept, as a weight: one per state event plus one per
   * progress item, so a busy engine's large progress batches cannot pin unbounded memory.
   */
  constructor(ids: { reserve: (count: number) => number } | { after: number }, capacity = 100_000, blockSize = 10_000) {
    this.#capacity = capacity;
    this.#blockSize = blockSize;
    if ('reserve' in ids) {
      this.#reserve = ids.reserve;
      this.#next = ids.reserve(blockSize);
      this.#blockEnd = this.#next + blockSize;
      this.firstId = this.#next;
      // The run's first id marks "nothing happened yet", so a snapshot always has an id.
      this.#next += 1;
      this.#horizon = this.firstId;
    } else {
      this.#reserve = undefined;
      this.firstId = ids.after;
      this.#next = ids.after + 1;
      this.#blockEnd = Number.MAX_SAFE_INTEGER;
      this.#horizon = ids.after;
    }
  }

  /**
   * Reserves the next block of ids. A store that cannot write now (a full data folder) does not
   * stop events: ids go on rising, and the reservation is tried again a hundred events later.
   */
  #nextBlock(reserve: (count: number) => number): void {
    try {
      const first = reserve(this.#blockSize);
      this.#next = Math.max(this.#next, first);
      this.#blockEnd = first + this.#blockSize;
    } catch {
      this.#blockEnd = this.#next + 100;
    }
  }

  /** The newest id handed out. */
  get lastId(): number {
    return this.#next - 1;
  }

  /** Logs an event under the next id, or under `givenId` (a shared stream's, greater than any before). */
  append<K extends LoggedEvent['name']>(name: K, data: EventPayloads[K], givenId?: number): LoggedEvent {
    if (givenId !== undefined) {
      if (givenId < this.#next) throw new Error(`Event id ${givenId} is not after ${this.lastId}.`);
      this.#next = givenId;
    } else if (this.#next >= this.#blockEnd && this.#reserve !== undefined) {
      this.#nextBlock(this.#reserve);
    }
    const event = { id: this.#next++, name, data } as LoggedEvent;
    this.#events.push(event);
    this.#weight += weightOf(event);
    let drop = 0;
    while (this.#weight > this.#capacity && drop < this.#events.length - 1) {
      const dropped = this.#events[drop]!;
      this.#weight -= weightOf(dropped);
      this.#horizon = dropped.id;
      drop += 1;
    }
    if (drop > 0) this.#events.splice(0, drop);
    return event;
  }

  /** Events up to `id` may have been missed (a shared stream trimmed them away): nobody is replayed from before it. */
  breakAt(id: number): void {
    this.#horizon = Math.max(this.#horizon, Math.min(id, this.lastId));
  }

  /** What a client that last saw `lastEventId` missed, or undefined when it needs a snapshot. */
  replayAfter(lastEventId: number): Replay | undefined {
    // Events after lastEventId must all still be held (ids from a shared stream have gaps).
    if (!Number.isSafeInteger(lastEventId) || lastEventId < this.#horizon || lastEventId > this.lastId) return undefined;
    // Each run of progress events between two state events becomes one, under the run's last
    // id: ids stay distinct and rising, and no progress lands before or after the state it followed.
    const events: LoggedEvent[] = [];
    let run: { id: number; items: Map<string, ProgressItem> } | undefined;
    const endRun = (): void => {
      if (run !== undefined) events.push({ id: run.id, name: 'progress', data: { items: [...run.items.values()] } });
      run = undefined;
    };
    for (const event of this.#events) {
      if (event.id <= lastEventId) continue;
      if (event.name !== 'progress') {
        endRun();
        events.push(event);
        continue;
      }
      run ??= { id: event.id, items: new Map() };
      run.id = event.id;
      for (const item of event.data.items) run.items.set(item.id, item);
    }
    endRun();
    return { events };
  }
}

function weightOf(event: LoggedEvent): number {
  return event.name === 'progress' ? Math.max(1, event.data.items.length) : 1;
}
