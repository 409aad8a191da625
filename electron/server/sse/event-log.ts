import type { EventName, EventPayloads, ProgressItem } from '../../../shared/api.ts';

export type LoggedEvent = { [K in Exclude<EventName, 'snapshot'>]: { id: number; name: K; data: EventPayloads[K] } }[Exclude<EventName, 'snapshot'>];

export interface Replay {
  /** State events missed, in order (progress left out). */
  events: LoggedEvent[];
  /** The latest values of every progress item missed, summarised into one event. */
  progress: ProgressItem[];
  /** Id of the newest event covered. */
  lastId: number;
}

/**
 * A bounded history of recent events, so a client that reconnects with Last-Event-ID gets
 * exactly what it missed. Ids come from `reserve(count)`, a counter that survives restarts
 * (reserved in blocks to keep store writes rare), so an id is never reused and one from an
 * earlier run is recognisably unknown.
 */
export class EventLog {
  readonly #reserve: (count: number) => number;
  readonly #capacity: number;
  readonly #blockSize: number;
  readonly #events: LoggedEvent[] = [];
  #weight = 0;
  /** First id of this run: anything below it is from an earlier run. */
  readonly firstId: number;
  #next: number;
  #blockEnd: number;

  /**
   * `capacity`: how much history is kept, as a weight: one per state event plus one per
   * progress item, so a busy engine's large progress batches cannot pin unbounded memory.
   */
  constructor(reserve: (count: number) => number, capacity = 100_000, blockSize = 10_000) {
    this.#reserve = reserve;
    this.#capacity = capacity;
    this.#blockSize = blockSize;
    this.#next = reserve(blockSize);
    this.#blockEnd = this.#next + blockSize;
    this.firstId = this.#next;
    // The run's first id marks "nothing happened yet", so a snapshot always has an id.
    this.#next += 1;
  }

  /** The newest id handed out. */
  get lastId(): number {
    return this.#next - 1;
  }

  append<K extends LoggedEvent['name']>(name: K, data: EventPayloads[K]): LoggedEvent {
    if (this.#next >= this.#blockEnd) {
      this.#next = this.#reserve(this.#blockSize);
      this.#blockEnd = this.#next + this.#blockSize;
    }
    const event = { id: this.#next++, name, data } as LoggedEvent;
    this.#events.push(event);
    this.#weight += weightOf(event);
    let drop = 0;
    while (this.#weight > this.#capacity && drop < this.#events.length - 1) {
      this.#weight -= weightOf(this.#events[drop]!);
      drop += 1;
    }
    if (drop > 0) this.#events.splice(0, drop);
    return event;
  }

  /** What a client that last saw `lastEventId` missed, or undefined when it needs a snapshot. */
  replayAfter(lastEventId: number): Replay | undefined {
    if (!Number.isSafeInteger(lastEventId) || lastEventId < this.firstId || lastEventId > this.lastId) return undefined;
    const oldest = this.#events[0]?.id ?? this.#next;
    // Events after lastEventId must all still be held.
    if (lastEventId < oldest - 1) return undefined;
    const events: LoggedEvent[] = [];
    const progress = new Map<string, ProgressItem>();
    for (const event of this.#events) {
      if (event.id <= lastEventId) continue;
      if (event.name === 'progress') for (const item of event.data.items) progress.set(item.id, item);
      else {
        if (event.name === 'removed') progress.delete(event.data.id);
        events.push(event);
      }
    }
    return { events, progress: [...progress.values()], lastId: this.lastId };
  }
}

function weightOf(event: LoggedEvent): number {
  return event.name === 'progress' ? Math.max(1, event.data.items.length) : 1;
}
