/**
 * The part of the file one connection is fetching: bytes [start, end), accepted up to
 * `accepted`. Its state changes only through its methods: the connection's request moves
 * `accepted` and its request's end; the scheduler alone moves `end` (a split) and marks it a
 * straggler.
 */
export class Segment {
  readonly start: number;
  #end: number | null;
  #accepted: number;
  #requestEnd = Number.POSITIVE_INFINITY;
  #speed = 0;
  #straggler = false;
  /** When this segment was handed out (ms). */
  readonly createdAt: number;
  #lastProgressAt: number;
  #lastAccepted: number;
  #lastTime: number;
  /** Aborts this segment's request in flight once another connection took all it had left. */
  readonly #cut = new AbortController();

  constructor(start: number, end: number | null, now: number) {
    this.start = start;
    this.#end = end;
    this.#accepted = start;
    this.createdAt = now;
    this.#lastProgressAt = now;
    this.#lastAccepted = start;
    this.#lastTime = now;
  }

  /** Exclusive; shrinks when another connection takes the far half. Null while the size is unknown. */
  get end(): number | null {
    return this.#end;
  }

  /** Bytes handed to the file writer (at or ahead of what is on disk). */
  get accepted(): number {
    return this.#accepted;
  }

  /** Where the connection's request in flight stops (exclusive); infinite if unbounded or none. */
  get requestEnd(): number {
    return this.#requestEnd;
  }

  /** For the tail hedge: recent speed of this connection, bytes/s. */
  get speed(): number {
    return this.#speed;
  }

  /** Set while this connection is far slower than the fastest: it is not fed more work, and its connection is not reused. */
  get straggler(): boolean {
    return this.#straggler;
  }

  /** When its connection last delivered a byte (ms, as of the last sample). */
  get lastProgressAt(): number {
    return this.#lastProgressAt;
  }

  get remaining(): number {
    return this.#end === null ? Number.POSITIVE_INFINITY : Math.max(0, this.#end - this.#accepted);
  }

  /** A request for this segment was sent, to stop at `end` (infinite: open-ended). */
  beginRequest(end: number): void {
    this.#requestEnd = end;
  }

  /** The request ended; returns where it was to stop. */
  endRequest(): number {
    const asked = this.#requestEnd;
    this.#requestEnd = Number.POSITIVE_INFINITY;
    return asked;
  }

  /**
   * Bounds an open-ended request in flight: it stops at `end` at the latest, and the
   * connection goes on with bounded requests. A bounded request keeps its own end.
   */
  boundRequest(end: number): void {
    if (!Number.isFinite(this.#requestEnd)) this.#requestEnd = Math.max(end, this.#accepted);
  }

  /** `bytes` more were handed to the writer. */
  accept(bytes: number): void {
    this.#accepted += bytes;
  }

  /** A new representation: the file starts over from zero, `total` long (null: unknown). */
  startOver(total: number | null): void {
    this.#accepted = 0;
    this.#end = total;
  }

  /** The size became known while the end was open. */
  learnTotal(total: number): void {
    if (this.#end === null) this.#end = total;
  }

  /** An unsized body ended: the segment ends where it got. */
  endHere(): void {
    this.#end = this.#accepted;
  }

  /** The scheduler gave the part from `cut` on to another connection. */
  shrinkTo(cut: number): void {
    this.#end = cut;
    // Nothing left for it: a request that waits on a silent server stops now, not at its timeout.
    if (cut <= this.#accepted) this.#cut.abort(new Error('taken over'));
  }

  /** The scheduler's verdict on this connection's speed. */
  markStraggler(straggler: boolean): void {
    this.#straggler = straggler;
  }

  sample(now: number): void {
    const dt = now - this.#lastTime;
    if (dt < 200) return;
    const instant = ((this.#accepted - this.#lastAccepted) * 1000) / dt;
    if (this.#accepted > this.#lastAccepted) this.#lastProgressAt = now;
    this.#speed = this.#speed === 0 ? instant : this.#speed * 0.5 + instant * 0.5;
    this.#lastAccepted = this.#accepted;
    this.#lastTime = now;
  }

  /** Aborted when this segment was left with nothing to fetch while its request waits (see shrinkTo). */
  get cutSignal(): AbortSignal {
    return this.#cut.signal;
  }
}
