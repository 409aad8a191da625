import type { EventName, EventPayloads, ProgressItem } from '../../../shared/api.ts';

export type LoggedEvent = { [K in Exclude<EventName, 'snapshot'>]: { id: number; name: K; data: EventPayloads[K] } }[Exclude<EventName, 'snapshot'>];

export interface Replay {
  /** Events missed, in order; each run of progress events summarised into one (its items' latest values). */
  events: LoggedEvent[];
}

/**
 * A bounded history of recent events, so a client that reconnects with Last-Event-ID gets
 * exactly what it missed. Each event comes with its id from the feed (rising, maybe with gaps).
 */
export class EventLog {
  readonly #capacity: number;
  readonly #events: LoggedEvent[] = [];
  #weight = 0;
  /** The id before this run's first event: anything at or below it is from an earlier run. */
  readonly firstId: number;
  #last: number;
  /** Newest id no longer held (dropped, or before this log began): a replay must start at or after it. */
  #horizon: number;

  /**
   * `after`: the id before the first event this log will be given.
   * `capacity`: how much history is kept, as a weight: one per state event plus one per
   * progress item, so a busy engine's large progress batches cannot pin unbounded memory.
   */
  constructor(after: number, capacity = 100_000) {
    this.#capacity = capacity;
    this.firstId = after;
    this.#last = after;
    this.#horizon = after;
  }

  /** The newest id logged. */
  get lastId(): number {
    return this.#last;
  }

  /** Logs an event under `id`, which must be greater than any before. */
  append<K extends LoggedEvent['name']>(name: K, data: EventPayloads[K], id: number): LoggedEvent {
    if (id <= this.#last) throw new Error(`Event id ${id} is not after ${this.#last}.`);
    this.#last = id;
    const event = { id, name, data } as LoggedEvent;
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
