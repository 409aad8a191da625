/** The part of the file one connection is fetching: bytes [start, end), accepted up to `accepted`. */
export class Segment {
  readonly start: number;
  /** Exclusive; shrinks when another connection takes the far half. Null while the size is unknown. */
  end: number | null;
  /** Bytes handed to the file writer (at or ahead of what is on disk). */
  accepted: number;
  /** Where the connection's request in flight stops (exclusive); infinite if unbounded or none. */
  requestEnd = Number.POSITIVE_INFINITY;
  /** For the tail hedge: recent speed of this connection, bytes/s. */
  speed = 0;
  /** Set while this connection is far slower than the fastest: it is not fed more work, and its connection is not reused. */
  straggler = false;
  /** When this segment was handed out (ms). */
  readonly createdAt: number;
  /** When its connection last delivered a byte (ms, as of the last sample). */
  lastProgressAt: number;
  #lastAccepted: number;
  #lastTime: number;
  /** Aborts this segment's request in flight once another connection took all it had left. */
  readonly #cut = new AbortController();

  constructor(start: number, end: number | null, now: number) {
    this.start = start;
    this.end = end;
    this.accepted = start;
    this.createdAt = now;
    this.lastProgressAt = now;
    this.#lastAccepted = start;
    this.#lastTime = now;
  }

  get remaining(): number {
    return this.end === null ? Number.POSITIVE_INFINITY : Math.max(0, this.end - this.accepted);
  }

  sample(now: number): void {
    const dt = now - this.#lastTime;
    if (dt < 200) return;
    const instant = ((this.accepted - this.#lastAccepted) * 1000) / dt;
    if (this.accepted > this.#lastAccepted) this.lastProgressAt = now;
    this.speed = this.speed === 0 ? instant : this.speed * 0.5 + instant * 0.5;
    this.#lastAccepted = this.accepted;
    this.#lastTime = now;
  }

  /**
   * Bounds an open-ended request in flight: it stops at `end` at the latest, and the
   * connection goes on with bounded requests. A bounded request keeps its own end.
   */
  boundRequest(end: number): void {
    if (!Number.isFinite(this.requestEnd)) this.requestEnd = Math.max(end, this.accepted);
  }

  /** Aborted when this segment was left with nothing to fetch while its request waits (see cutOff). */
  get cutSignal(): AbortSignal {
    return this.#cut.signal;
  }

  /** Its rest went to another connection: its request in flight, if any, stops now rather than at a timeout. */
  cutOff(): void {
    this.#cut.abort(new Error('taken over'));
  }
}
